import Foundation
import PorticoModel
import PorticoStore

/// CreateApi (with quick create), GetApis, GetApi, UpdateApi, DeleteApi, DeleteCorsConfiguration.
enum ApiOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/v2/apis", createApi)
        router.add("GET", "/v2/apis", getApis)
        router.add("GET", "/v2/apis/{apiId}", getApi)
        router.add("PATCH", "/v2/apis/{apiId}", updateApi)
        router.add("DELETE", "/v2/apis/{apiId}", deleteApi)
        router.add("DELETE", "/v2/apis/{apiId}/cors", deleteCorsConfiguration)
    }

    static let routeSelectionExpressions: Set<String> = ["$request.method $request.path", "${request.method} ${request.path}"]

    @Sendable static func createApi(_ context: OperationContext) async throws -> ManagementResponse {
        let body = try context.body()
        let name = try body.required("name", body.string("name", length: 1...128))
        let protocolType = try body.required("protocolType", body.enumeration("protocolType", ["HTTP", "WEBSOCKET"]))
        let webSocket = protocolType == "WEBSOCKET"
        var api = Api(apiId: "", name: name, protocolType: webSocket ? .websocket : .http, createdDate: context.now)
        if webSocket {
            try WebSocketValidation.applyApiMembers(body, to: &api, creating: true)
        } else {
            try applyCommonMembers(body, to: &api)
        }
        if let tags = try body.stringMap("tags") {
            try TagValidation.validate(tags)
            guard tags.count <= TagValidation.maximumTags else {
                throw APIError.badRequest("Too many tags: a resource can have at most \(TagValidation.maximumTags) tags.")
            }
            api.tags = tags
        }
        let quickCreate = webSocket ? nil : try QuickCreate.read(body)

        let template = api
        let created = try await context.transaction { transaction in
            var api = template
            api.apiId = try ApiIdentifiers.newApiId(transaction)
            var document = ApiDocument(api: api)
            if let quickCreate {
                try quickCreate.apply(to: &document, now: context.now, transaction: transaction)
            }
            try transaction.putApiDocument(document)
            return document.api
        }
        return try .json(201, context.view(created))
    }

    @Sendable static func getApis(_ context: OperationContext) async throws -> ManagementResponse {
        let query = try context.query()
        let apis = try await context.transaction { transaction in try transaction.allApiDocuments().map(\.api) }
        let page = try Pagination.page(
            apis, kind: "apis", key: \.apiId, maxResults: query.first("maxResults"), nextToken: query.first("nextToken"))
        return try .json(200, ListPage(items: page.items.map(context.view), nextToken: page.nextToken))
    }

    @Sendable static func getApi(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let api = try await context.transaction { transaction in try context.document(transaction, apiId).api }
        return try .json(200, context.view(api))
    }

    @Sendable static func updateApi(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let body = try context.body()
        let name = try body.string("name", length: 1...128)
        let target = try body.string("target", length: 1...2048)
        let routeKey = try body.string("routeKey")
        let credentialsArn = try body.string("credentialsArn")

        let updated = try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            if let name { document.api.name = name }
            if document.api.protocolType == .websocket {
                try WebSocketValidation.applyApiMembers(body, to: &document.api, creating: false)
                return try Deployer.save(document, replacing: old, now: context.now, transaction: transaction).api
            }
            if let routeKey { _ = try RouteKey(parsing: routeKey) }
            try applyCommonMembers(body, to: &document.api)
            if target != nil || routeKey != nil || credentialsArn != nil {
                try QuickCreate.update(
                    &document, target: target, routeKey: routeKey, credentialsArn: credentialsArn)
            }
            return try Deployer.save(document, replacing: old, now: context.now, transaction: transaction).api
        }
        return try .json(200, context.view(updated))
    }

    @Sendable static func deleteApi(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        try await context.transaction { transaction in
            _ = try context.document(transaction, apiId)
            try transaction.deleteApiDocument(id: apiId)
        }
        return .noContent
    }

    @Sendable static func deleteCorsConfiguration(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            document.api.corsConfiguration = nil
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
        }
        return .noContent
    }

    /// The members CreateApi and UpdateApi share (everything but name, tags and quick create).
    static func applyCommonMembers(_ body: JSONBody, to api: inout Api) throws(APIError) {
        if let value = try body.string("apiKeySelectionExpression") {
            api.apiKeySelectionExpression = value
        }
        if let cors = try body.object("corsConfiguration") {
            api.corsConfiguration = try CorsValidation.read(cors)
        }
        if let value = try body.string("description", length: 0...1024) { api.description = value }
        if let value = try body.bool("disableSchemaValidation") { api.disableSchemaValidation = value }
        if let value = try body.bool("disableExecuteApiEndpoint") { api.disableExecuteApiEndpoint = value }
        if let value = try body.enumeration("ipAddressType", ["ipv4", "dualstack"]) { api.ipAddressType = value }
        if let value = try body.string("routeSelectionExpression") {
            // HTTP APIs route on method and path only.
            guard routeSelectionExpressions.contains(value) else {
                throw .badRequest("Invalid routeSelectionExpression '\(value)': HTTP APIs support only ${request.method} ${request.path}.")
            }
            api.routeSelectionExpression = value
        }
        if let value = try body.string("version", length: 1...64) { api.version = value }
    }
}

/// The body of every list operation: `{"items": [...], "nextToken": "..."}`.
struct ListPage<Item: Encodable>: Encodable {
    var items: [Item]
    var nextToken: String?
}
