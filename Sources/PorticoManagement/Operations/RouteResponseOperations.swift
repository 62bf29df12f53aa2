import Foundation
import PorticoModel
import PorticoStore

/// CreateRouteResponse, GetRouteResponses, GetRouteResponse, UpdateRouteResponse,
/// DeleteRouteResponse: WebSocket APIs only (AWS: "Supported only for WebSocket APIs"). Listing
/// them on an HTTP API answers an empty list, as AWS does.
enum RouteResponseOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/v2/apis/{apiId}/routes/{routeId}/routeresponses", createRouteResponse)
        router.add("GET", "/v2/apis/{apiId}/routes/{routeId}/routeresponses", getRouteResponses)
        router.add("GET", "/v2/apis/{apiId}/routes/{routeId}/routeresponses/{routeResponseId}", getRouteResponse)
        router.add("PATCH", "/v2/apis/{apiId}/routes/{routeId}/routeresponses/{routeResponseId}", updateRouteResponse)
        router.add("DELETE", "/v2/apis/{apiId}/routes/{routeId}/routeresponses/{routeResponseId}", deleteRouteResponse)
    }

    /// The wording follows AWS's other NotFound messages ("Invalid Route identifier specified ...").
    static func routeResponseNotFound(_ id: String) -> APIError {
        .notFound("Invalid RouteResponse identifier specified \(id)")
    }

    /// AWS: route response selection "currently only the `$default` key is supported".
    static func validateKey(_ key: String) throws(APIError) {
        guard key == "$default" else {
            throw .badRequest("Invalid routeResponseKey '\(key)': only $default is supported.")
        }
    }

    @Sendable static func createRouteResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let routeId = context.parameter("routeId")
        let body = try context.body()
        let key = try body.required("routeResponseKey", body.string("routeResponseKey"))
        var template = WebSocketRouteResponse(routeResponseId: "", routeResponseKey: key)
        try applyMembers(body, to: &template)
        let response = template

        let created = try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            try requireWebSocket(document)
            guard document.route(routeId) != nil else { throw AWSMessages.routeNotFound(routeId) }
            try validateKey(key)
            var existing = document.routeResponses[routeId] ?? []
            guard !existing.contains(where: { $0.routeResponseKey == key }) else {
                throw APIError.conflict("RouteResponse with key \(key) already exists for this Route")
            }
            var response = response
            response.routeResponseId = Identifier.random(length: Identifier.responseLength)
            existing.append(response)
            document.routeResponses[routeId] = existing
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
            return response
        }
        return try .json(201, created)
    }

    @Sendable static func getRouteResponses(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let routeId = context.parameter("routeId")
        let query = try context.query()
        let responses = try await context.transaction { transaction in
            let document = try context.document(transaction, apiId)
            guard document.route(routeId) != nil else { throw AWSMessages.routeNotFound(routeId) }
            return document.routeResponses[routeId] ?? []
        }
        let page = try Pagination.page(
            responses, kind: "routeresponses", key: \.routeResponseId, maxResults: query.first("maxResults"),
            nextToken: query.first("nextToken"))
        return try .json(200, ListPage(items: page.items, nextToken: page.nextToken))
    }

    @Sendable static func getRouteResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let routeId = context.parameter("routeId")
        let responseId = context.parameter("routeResponseId")
        let response = try await context.transaction { transaction in
            let document = try context.document(transaction, apiId)
            guard document.route(routeId) != nil else { throw AWSMessages.routeNotFound(routeId) }
            guard let response = document.routeResponses[routeId]?.first(where: { $0.routeResponseId == responseId }) else {
                throw routeResponseNotFound(responseId)
            }
            return response
        }
        return try .json(200, response)
    }

    @Sendable static func updateRouteResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let routeId = context.parameter("routeId")
        let responseId = context.parameter("routeResponseId")
        let body = try context.body()
        let key = try body.string("routeResponseKey")
        if let key { try validateKey(key) }
        let updated = try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            guard document.route(routeId) != nil else { throw AWSMessages.routeNotFound(routeId) }
            guard var responses = document.routeResponses[routeId],
                let index = responses.firstIndex(where: { $0.routeResponseId == responseId })
            else {
                throw routeResponseNotFound(responseId)
            }
            if let key { responses[index].routeResponseKey = key }
            try applyMembers(body, to: &responses[index])
            document.routeResponses[routeId] = responses
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
            return responses[index]
        }
        return try .json(200, updated)
    }

    @Sendable static func deleteRouteResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let routeId = context.parameter("routeId")
        let responseId = context.parameter("routeResponseId")
        try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            guard document.route(routeId) != nil else { throw AWSMessages.routeNotFound(routeId) }
            guard var responses = document.routeResponses[routeId],
                let index = responses.firstIndex(where: { $0.routeResponseId == responseId })
            else {
                throw routeResponseNotFound(responseId)
            }
            responses.remove(at: index)
            document.routeResponses[routeId] = responses.isEmpty ? nil : responses
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
        }
        return .noContent
    }

    static func applyMembers(_ body: JSONBody, to response: inout WebSocketRouteResponse) throws(APIError) {
        if let value = try body.string("modelSelectionExpression") { response.modelSelectionExpression = value }
        if let value = try body.stringMap("responseModels") { response.responseModels = value }
        if let value = try body.objectMap("responseParameters") {
            var parameters: [String: ParameterConstraints] = [:]
            for (key, constraints) in value {
                parameters[key] = ParameterConstraints(required: try constraints.bool("required"))
            }
            response.responseParameters = parameters
        }
    }

    /// Route and integration responses exist on WebSocket APIs only.
    static func requireWebSocket(_ document: ApiDocument) throws(APIError) {
        guard document.api.protocolType == .websocket else {
            throw .badRequest("Route responses and integration responses are supported only for WebSocket APIs.")
        }
    }
}
