import Foundation
import PorticoModel
import PorticoStore

/// CreateApiKey, GetApiKeys, GetApiKey, UpdateApiKey, DeleteApiKey (ImportApiKeys is `ApiKeyImport`).
enum ApiKeyOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/apikeys", createApiKey)
        router.add("GET", "/apikeys", getApiKeys)
        router.add("GET", "/apikeys/{api_Key}", getApiKey)
        router.add("PATCH", "/apikeys/{api_Key}", updateApiKey)
        router.add("DELETE", "/apikeys/{api_Key}", deleteApiKey)
    }

    @Sendable static func createApiKey(_ context: OperationContext) async throws -> ManagementResponse {
        // ImportApiKeys shares the path (`POST /apikeys?mode=import`).
        if try context.query().first("mode") != nil {
            return try await ApiKeyImport.importApiKeys(context)
        }
        let body = try context.body()
        let value = try body.string("value")
        if let value { try validateValue(value) }
        let name = try body.string("name")
        let description = try body.string("description")
        let customerId = try body.string("customerId")
        // AWS: a key is disabled unless `enabled` says otherwise (the CLI's `--enabled`).
        let enabled = try body.bool("enabled") ?? false
        let tags = try body.stringMap("tags").map { try TagValidation.merged([:], with: $0) }
        let stageKeys = try (body.objectList("stageKeys") ?? []).map { entry in
            "\(try entry.string("restApiId") ?? "")/\(try entry.string("stageName") ?? "")"
        }
        let now = context.now
        let created = try await context.transaction { transaction in
            let all = try transaction.allApiKeys()
            let keyValue = value ?? ApiKey.generateValue()
            guard !all.contains(where: { $0.value == keyValue }) else { throw UsagePlanMessages.apiKeyExists }
            try checkStageKeys(stageKeys, transaction)
            var id = Identifier.random(length: ApiKey.idLength)
            while all.contains(where: { $0.id == id }) { id = Identifier.random(length: ApiKey.idLength) }
            var key = ApiKey(id: id, value: keyValue, name: name, enabled: enabled, createdDate: now)
            key.description = description
            key.customerId = customerId
            key.tags = tags
            key.stageKeys = stageKeys
            try transaction.putApiKey(key)
            return key
        }
        // CreateApiKey shows the value (AWS's answer to create includes it).
        return try .restJSON(201, created)
    }

    /// AWS accepts values of 20 to 128 characters.
    static func validateValue(_ value: String) throws(APIError) {
        guard value.count >= ApiKey.valueLengths.lowerBound else { throw UsagePlanMessages.apiKeyValueLength }
        guard value.count <= ApiKey.valueLengths.upperBound else { throw UsagePlanMessages.apiKeyValueTooLong }
    }

    /// Each `{restApiId}/{stage}` must name an existing REST API stage.
    static func checkStageKeys(_ stageKeys: [String], _ transaction: any StoreTransaction) throws {
        for stageKey in stageKeys {
            let parts = stageKey.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, let document = try transaction.restApiDocument(id: parts[0]),
                document.stages.contains(where: { $0.stageName == parts[1] })
            else {
                throw APIError.badRequest("Invalid stage key specified: \(stageKey)")  // guess
            }
        }
    }

    @Sendable static func getApiKeys(_ context: OperationContext) async throws -> ManagementResponse {
        let query = try context.query()
        let includeValues = try query.bool("includeValues") ?? false
        let nameQuery = query.first("name")
        let customerId = query.first("customerId")
        let keys = try await context.transaction { transaction in try transaction.allApiKeys() }
        // AWS's `nameQuery` is a prefix match on the name.
        let selected = keys.filter { key in
            (nameQuery.map { (key.name ?? "").hasPrefix($0) } ?? true) && (customerId.map { key.customerId == $0 } ?? true)
        }
        let page = try context.restPage(selected, kind: "apikeys", key: \.id)
        let items = includeValues ? page.items : page.items.map(\.withoutValue)
        return try .restJSON(200, RestListPage(Pagination.Page(items: items, nextToken: page.nextToken)))
    }

    @Sendable static func getApiKey(_ context: OperationContext) async throws -> ManagementResponse {
        let id = context.parameter("api_Key")
        let includeValue = try context.query().bool("includeValue") ?? false
        let key = try await context.transaction { transaction in
            guard let key = try transaction.apiKey(id: id) else { throw UsagePlanMessages.apiKeyNotFound }
            return key
        }
        return try .restJSON(200, includeValue ? key : key.withoutValue)
    }

    @Sendable static func updateApiKey(_ context: OperationContext) async throws -> ManagementResponse {
        let id = context.parameter("api_Key")
        let operations = try PatchOperation.read(try context.body(), input: "updateApiKeyInput")
        let now = context.now
        let updated = try await context.transaction { transaction in
            guard var key = try transaction.apiKey(id: id) else { throw UsagePlanMessages.apiKeyNotFound }
            for operation in operations {
                try ApiKeyPatch.apply(operation, to: &key, transaction)
            }
            key.lastUpdatedDate = now
            try transaction.putApiKey(key)
            return key
        }
        return try .restJSON(200, updated.withoutValue)
    }

    @Sendable static func deleteApiKey(_ context: OperationContext) async throws -> ManagementResponse {
        let id = context.parameter("api_Key")
        try await context.transaction { transaction in
            guard try transaction.apiKey(id: id) != nil else { throw UsagePlanMessages.apiKeyNotFound }
            try transaction.deleteApiKey(id: id)
            // The key leaves every plan that held it.
            for var document in try transaction.allUsagePlans() where document.keyIds.contains(id) {
                document.keyIds.removeAll { $0 == id }
                try transaction.putUsagePlan(document)
            }
        }
        return .accepted
    }
}

/// UpdateApiKey's patch paths: `/name`, `/description`, `/customerId`, `/enabled` (replace), `/value`
/// (replace; Portico accepts it, AWS's console does not offer it — a key's value is otherwise fixed), and
/// `/stages` (add/remove `{restApiId}/{stage}`).
enum ApiKeyPatch {
    static func apply(_ operation: PatchOperation, to key: inout ApiKey, _ transaction: any StoreTransaction) throws {
        switch operation.path {
        case "/name":
            try operation.requireReplace()
            key.name = operation.value
        case "/description":
            try operation.requireReplace()
            key.description = operation.value.flatMap { $0.isEmpty ? nil : $0 }
        case "/customerId":
            try operation.requireReplace()
            key.customerId = operation.value.flatMap { $0.isEmpty ? nil : $0 }
        case "/enabled":
            try operation.requireReplace()
            key.enabled = try operation.boolValue()
        case "/value":
            try operation.requireReplace()
            let value = try operation.requiredValue()
            try ApiKeyOperations.validateValue(value)
            guard try !transaction.allApiKeys().contains(where: { $0.value == value && $0.id != key.id }) else {
                throw UsagePlanMessages.apiKeyExists
            }
            key.value = value
        case "/stages":
            let stageKey = try operation.requiredValue()
            switch operation.op {
            case .add:
                try ApiKeyOperations.checkStageKeys([stageKey], transaction)
                if !key.stageKeys.contains(stageKey) { key.stageKeys.append(stageKey) }
            case .remove:
                key.stageKeys.removeAll { $0 == stageKey }
            default:
                throw APIError.badRequest("Invalid patch operation specified. Must be one of: [add, remove]")
            }
        default:
            throw operation.invalidPath
        }
    }
}
