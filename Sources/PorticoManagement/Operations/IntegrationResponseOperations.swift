import Foundation
import PorticoModel
import PorticoStore

/// CreateIntegrationResponse, GetIntegrationResponses, GetIntegrationResponse,
/// UpdateIntegrationResponse, DeleteIntegrationResponse: WebSocket APIs only (AWS: "Supported only
/// for WebSocket APIs"). Listing them on an HTTP API answers an empty list.
enum IntegrationResponseOperations {
    static func register(into router: inout Router<Operation>) {
        let base = "/v2/apis/{apiId}/integrations/{integrationId}/integrationresponses"
        router.add("POST", base, createIntegrationResponse)
        router.add("GET", base, getIntegrationResponses)
        router.add("GET", base + "/{integrationResponseId}", getIntegrationResponse)
        router.add("PATCH", base + "/{integrationResponseId}", updateIntegrationResponse)
        router.add("DELETE", base + "/{integrationResponseId}", deleteIntegrationResponse)
    }

    /// The wording follows AWS's other NotFound messages ("Invalid Integration identifier specified ...").
    static func integrationResponseNotFound(_ id: String) -> APIError {
        .notFound("Invalid IntegrationResponse identifier specified \(id)")
    }

    @Sendable static func createIntegrationResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let integrationId = context.parameter("integrationId")
        let body = try context.body()
        let key = try body.required("integrationResponseKey", body.string("integrationResponseKey"))
        try WebSocketValidation.validateIntegrationResponseKey(key)
        var template = WebSocketIntegrationResponse(integrationResponseId: "", integrationResponseKey: key)
        try applyMembers(body, to: &template)
        let response = template

        let created = try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            try RouteResponseOperations.requireWebSocket(document)
            guard document.integration(integrationId) != nil else { throw AWSMessages.integrationNotFound(integrationId) }
            var existing = document.integrationResponses[integrationId] ?? []
            guard !existing.contains(where: { $0.integrationResponseKey == key }) else {
                throw APIError.conflict("IntegrationResponse with key \(key) already exists for this Integration")
            }
            var response = response
            response.integrationResponseId = Identifier.random(length: Identifier.responseLength)
            existing.append(response)
            document.integrationResponses[integrationId] = existing
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
            return response
        }
        return try .json(201, created)
    }

    @Sendable static func getIntegrationResponses(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let integrationId = context.parameter("integrationId")
        let query = try context.query()
        let responses = try await context.transaction { transaction in
            let document = try context.document(transaction, apiId)
            guard document.integration(integrationId) != nil else { throw AWSMessages.integrationNotFound(integrationId) }
            return document.integrationResponses[integrationId] ?? []
        }
        let page = try Pagination.page(
            responses, kind: "integrationresponses", key: \.integrationResponseId, maxResults: query.first("maxResults"),
            nextToken: query.first("nextToken"))
        return try .json(200, ListPage(items: page.items, nextToken: page.nextToken))
    }

    @Sendable static func getIntegrationResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let integrationId = context.parameter("integrationId")
        let responseId = context.parameter("integrationResponseId")
        let response = try await context.transaction { transaction in
            let document = try context.document(transaction, apiId)
            guard document.integration(integrationId) != nil else { throw AWSMessages.integrationNotFound(integrationId) }
            guard let response = document.integrationResponses[integrationId]?.first(where: { $0.integrationResponseId == responseId })
            else {
                throw integrationResponseNotFound(responseId)
            }
            return response
        }
        return try .json(200, response)
    }

    @Sendable static func updateIntegrationResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let integrationId = context.parameter("integrationId")
        let responseId = context.parameter("integrationResponseId")
        let body = try context.body()
        let key = try body.string("integrationResponseKey")
        if let key { try WebSocketValidation.validateIntegrationResponseKey(key) }
        let updated = try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            guard document.integration(integrationId) != nil else { throw AWSMessages.integrationNotFound(integrationId) }
            guard var responses = document.integrationResponses[integrationId],
                let index = responses.firstIndex(where: { $0.integrationResponseId == responseId })
            else {
                throw integrationResponseNotFound(responseId)
            }
            if let key {
                guard !responses.contains(where: { $0.integrationResponseKey == key && $0.integrationResponseId != responseId }) else {
                    throw APIError.conflict("IntegrationResponse with key \(key) already exists for this Integration")
                }
                responses[index].integrationResponseKey = key
            }
            try applyMembers(body, to: &responses[index])
            document.integrationResponses[integrationId] = responses
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
            return responses[index]
        }
        return try .json(200, updated)
    }

    @Sendable static func deleteIntegrationResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let integrationId = context.parameter("integrationId")
        let responseId = context.parameter("integrationResponseId")
        try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            guard document.integration(integrationId) != nil else { throw AWSMessages.integrationNotFound(integrationId) }
            guard var responses = document.integrationResponses[integrationId],
                let index = responses.firstIndex(where: { $0.integrationResponseId == responseId })
            else {
                throw integrationResponseNotFound(responseId)
            }
            responses.remove(at: index)
            document.integrationResponses[integrationId] = responses.isEmpty ? nil : responses
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
        }
        return .noContent
    }

    static func applyMembers(_ body: JSONBody, to response: inout WebSocketIntegrationResponse) throws(APIError) {
        if let value = try body.enumeration("contentHandlingStrategy", ["CONVERT_TO_BINARY", "CONVERT_TO_TEXT"]) {
            response.contentHandlingStrategy = value
        }
        if let value = try body.stringMap("responseParameters") { response.responseParameters = value }
        if let value = try body.stringMap("responseTemplates") { response.responseTemplates = value }
        if let value = try body.string("templateSelectionExpression") {
            try WebSocketValidation.validateSelectionExpression(value, member: "templateSelectionExpression", integrationResponse: true)
            response.templateSelectionExpression = value
        }
    }
}
