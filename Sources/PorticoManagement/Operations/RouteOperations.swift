import Foundation
import PorticoModel
import PorticoStore

/// CreateRoute, GetRoutes, GetRoute, UpdateRoute, DeleteRoute.
enum RouteOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/v2/apis/{apiId}/routes", createRoute)
        router.add("GET", "/v2/apis/{apiId}/routes", getRoutes)
        router.add("GET", "/v2/apis/{apiId}/routes/{routeId}", getRoute)
        router.add("PATCH", "/v2/apis/{apiId}/routes/{routeId}", updateRoute)
        router.add("DELETE", "/v2/apis/{apiId}/routes/{routeId}", deleteRoute)
    }

    static func duplicateRouteKey(_ routeKey: String) -> APIError {
        .conflict("Route with key \(routeKey) already exists for this API")
    }

    @Sendable static func createRoute(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let body = try context.body()
        let routeKey = try body.required("routeKey", body.string("routeKey"))

        let created = try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            let webSocket = document.api.protocolType == .websocket
            try checkRouteKey(routeKey, webSocket: webSocket)
            var route = Route(routeId: "", routeKey: routeKey)
            try applyMembers(body, to: &route, webSocket: webSocket)
            route.routeId = Identifier.random(length: Identifier.routeLength)
            while document.route(route.routeId) != nil {
                route.routeId = Identifier.random(length: Identifier.routeLength)
            }
            try validate(route, in: document)
            document.routes.append(route)
            try ApiQuotas.check(document)
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
            return route
        }
        return try .json(201, created)
    }

    @Sendable static func getRoutes(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let query = try context.query()
        let routes = try await context.transaction { transaction in try context.document(transaction, apiId).routes }
        let page = try Pagination.page(
            routes, kind: "routes", key: \.routeId, maxResults: query.first("maxResults"), nextToken: query.first("nextToken"))
        return try .json(200, ListPage(items: page.items, nextToken: page.nextToken))
    }

    @Sendable static func getRoute(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let routeId = context.parameter("routeId")
        let route = try await context.transaction { transaction in
            guard let route = try context.document(transaction, apiId).route(routeId) else {
                throw AWSMessages.routeNotFound(routeId)
            }
            return route
        }
        return try .json(200, route)
    }

    @Sendable static func updateRoute(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let routeId = context.parameter("routeId")
        let body = try context.body()
        let routeKey = try body.string("routeKey")

        let updated = try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            let webSocket = document.api.protocolType == .websocket
            if let routeKey { try checkRouteKey(routeKey, webSocket: webSocket) }
            guard let index = document.routes.firstIndex(where: { $0.routeId == routeId }) else {
                throw AWSMessages.routeNotFound(routeId)
            }
            var route = document.routes[index]
            if let routeKey, routeKey != route.routeKey {
                // AWS: "The $default route key can't be modified" on a quick-created API.
                if route.apiGatewayManaged == true {
                    throw APIError.badRequest("Cannot update the route key of a route managed by API Gateway; use UpdateApi with routeKey.")
                }
                route.routeKey = routeKey
            }
            try applyMembers(body, to: &route, webSocket: webSocket)
            try validate(route, in: document)
            document.routes[index] = route
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
            return route
        }
        return try .json(200, updated)
    }

    @Sendable static func deleteRoute(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let routeId = context.parameter("routeId")
        try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            guard let index = document.routes.firstIndex(where: { $0.routeId == routeId }) else {
                throw AWSMessages.routeNotFound(routeId)
            }
            let removed = document.routes.remove(at: index)
            document.routeResponses[removed.routeId] = nil
            // Route settings keyed by the deleted route's key go with it.
            for stageIndex in document.stages.indices {
                document.stages[stageIndex].routeSettings?.removeValue(forKey: removed.routeKey)
            }
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
        }
        return .noContent
    }

    /// An HTTP API route key (`METHOD /path` or `$default`), or a WebSocket API's.
    static func checkRouteKey(_ routeKey: String, webSocket: Bool) throws(APIError) {
        if webSocket {
            try WebSocketValidation.validateRouteKey(routeKey)
        } else {
            _ = try RouteKey(parsing: routeKey)
        }
    }

    /// Reads the members CreateRoute and UpdateRoute share (all but `routeKey`).
    static func applyMembers(_ body: JSONBody, to route: inout Route, webSocket: Bool = false) throws(APIError) {
        if let value = try body.bool("apiKeyRequired") {
            // HTTP APIs have no API keys; WebSocket APIs do.
            guard !value || webSocket else {
                throw .badRequest("API keys are not supported for HTTP APIs: apiKeyRequired must be false.")
            }
            route.apiKeyRequired = value
        }
        if let value = try body.stringList("authorizationScopes") { route.authorizationScopes = value }
        if let value = try body.enumeration("authorizationType", ["NONE", "AWS_IAM", "CUSTOM", "JWT"]) {
            route.authorizationType = value
            if value == "NONE" || value == "AWS_IAM" { route.authorizerId = nil }
        }
        if let value = try body.string("authorizerId") { route.authorizerId = value.isEmpty ? nil : value }
        if let value = try body.string("modelSelectionExpression") { route.modelSelectionExpression = value }
        if let value = try body.string("operationName", length: 1...64) { route.operationName = value }
        if let value = try body.stringMap("requestModels") { route.requestModels = value }
        if let value = try body.objectMap("requestParameters") {
            var parameters: [String: ParameterConstraints] = [:]
            for (key, constraints) in value {
                parameters[key] = ParameterConstraints(required: try constraints.bool("required"))
            }
            route.requestParameters = parameters
        }
        if let value = try body.string("routeResponseSelectionExpression") {
            // An empty expression makes a WebSocket route one-way again.
            route.routeResponseSelectionExpression = value.isEmpty && webSocket ? nil : value
        }
        if body.has("target") {
            // Terraform detaches a route from its integration by sending an empty target.
            let target = try body.string("target", length: 0...128)
            route.target = target?.isEmpty == true ? nil : target
        } else if body.members["target"] == .null {
            route.target = nil
        }
    }

    /// Checks that need the rest of the API: a unique route key, an existing target integration,
    /// an authorizer for JWT/CUSTOM.
    static func validate(_ route: Route, in document: ApiDocument) throws {
        if document.api.protocolType == .websocket {
            try WebSocketValidation.validate(route)
        }
        if document.routes.contains(where: { $0.routeKey == route.routeKey && $0.routeId != route.routeId }) {
            throw duplicateRouteKey(route.routeKey)
        }
        if let target = route.target {
            guard let integrationId = route.targetIntegrationId, !integrationId.isEmpty else {
                throw APIError.badRequest("Invalid target '\(target)': a route target must be of the form integrations/{integrationId}.")
            }
            guard document.integration(integrationId) != nil else {
                throw AWSMessages.integrationNotFound(integrationId)
            }
        }
        if route.authorizationType == "JWT" || route.authorizationType == "CUSTOM" {
            guard let authorizerId = route.authorizerId else {
                throw APIError.badRequest("An authorizerId is required when authorizationType is \(route.authorizationType ?? "").")
            }
            // CUSTOM needs a Lambda (REQUEST) authorizer of the API, JWT a JWT authorizer.
            guard let authorizer = document.authorizer(authorizerId),
                (authorizer.authorizerType == "REQUEST") == (route.authorizationType == "CUSTOM")
            else {
                throw AWSMessages.authorizerNotFound(authorizerId)
            }
        }
    }
}
