import Foundation
import PorticoModel
import PorticoStore

/// CreateUsagePlanKey, GetUsagePlanKeys, GetUsagePlanKey, DeleteUsagePlanKey: which API keys a plan holds.
enum UsagePlanKeyOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/usageplans/{usageplanId}/keys", createUsagePlanKey)
        router.add("GET", "/usageplans/{usageplanId}/keys", getUsagePlanKeys)
        router.add("GET", "/usageplans/{usageplanId}/keys/{keyId}", getUsagePlanKey)
        router.add("DELETE", "/usageplans/{usageplanId}/keys/{keyId}", deleteUsagePlanKey)
    }

    /// The `UsagePlanKey` shape: the key's id, `API_KEY`, its value and name.
    struct View: Encodable {
        var id: String
        var type = "API_KEY"
        var value: String?
        var name: String?

        init(_ key: ApiKey) {
            id = key.id
            value = key.value
            name = key.name
        }
    }

    @Sendable static func createUsagePlanKey(_ context: OperationContext) async throws -> ManagementResponse {
        let planId = context.parameter("usageplanId")
        let body = try context.body()
        let keyId = try body.required("keyId", body.string("keyId"))
        let keyType = try body.required("keyType", body.string("keyType"))
        guard keyType == "API_KEY" else { throw UsagePlanMessages.invalidKeyType }
        let view = try await context.transaction { transaction in
            var document = try UsagePlanOperations.planDocument(transaction, planId)
            guard let key = try transaction.apiKey(id: keyId) else { throw UsagePlanMessages.apiKeyNotFound }
            guard !document.keyIds.contains(keyId) else { throw UsagePlanMessages.usagePlanKeyExists }
            // AWS refuses a key in two plans that share an API stage: the data plane could not tell which plan's
            // quota and throttle apply.
            let stages = Set(document.plan.apiStages.map(\.reference))
            for other in try transaction.allUsagePlans() where other.plan.id != planId && other.keyIds.contains(keyId) {
                if let shared = other.plan.apiStages.first(where: { stages.contains($0.reference) }) {
                    throw APIError.conflict(
                        "Usage Plan \(planId) cannot be added because API Key \(keyId) cannot reference multiple Usage Plans with the same API Stage: \(shared.reference)"
                    )
                }
            }
            document.keyIds.append(keyId)
            try transaction.putUsagePlan(document)
            return View(key)
        }
        return try .restJSON(201, view)
    }

    @Sendable static func getUsagePlanKeys(_ context: OperationContext) async throws -> ManagementResponse {
        let planId = context.parameter("usageplanId")
        let nameQuery = try context.query().first("name")
        let views = try await context.transaction { transaction in
            let document = try UsagePlanOperations.planDocument(transaction, planId)
            return try document.keyIds.compactMap { try transaction.apiKey(id: $0) }
                .filter { key in nameQuery.map { (key.name ?? "").hasPrefix($0) } ?? true }
                .map(View.init)
        }
        return try .restJSON(200, RestListPage(try context.restPage(views, kind: "usageplankeys", key: \.id)))
    }

    @Sendable static func getUsagePlanKey(_ context: OperationContext) async throws -> ManagementResponse {
        let planId = context.parameter("usageplanId")
        let keyId = context.parameter("keyId")
        let view = try await context.transaction { transaction in
            let document = try UsagePlanOperations.planDocument(transaction, planId)
            guard document.keyIds.contains(keyId), let key = try transaction.apiKey(id: keyId) else {
                throw UsagePlanMessages.usagePlanKeyNotFound
            }
            return View(key)
        }
        return try .restJSON(200, view)
    }

    @Sendable static func deleteUsagePlanKey(_ context: OperationContext) async throws -> ManagementResponse {
        let planId = context.parameter("usageplanId")
        let keyId = context.parameter("keyId")
        try await context.transaction { transaction in
            var document = try UsagePlanOperations.planDocument(transaction, planId)
            guard document.keyIds.contains(keyId) else { throw UsagePlanMessages.usagePlanKeyNotFound }
            document.keyIds.removeAll { $0 == keyId }
            try transaction.putUsagePlan(document)
        }
        return .accepted
    }
}
