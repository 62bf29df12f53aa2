import Foundation
import PorticoModel
import PorticoStore

/// CreateIntegration, GetIntegrations, GetIntegration, UpdateIntegration, DeleteIntegration.
enum IntegrationOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/v2/apis/{apiId}/integrations", createIntegration)
        router.add("GET", "/v2/apis/{apiId}/integrations", getIntegrations)
        router.add("GET", "/v2/apis/{apiId}/integrations/{integrationId}", getIntegration)
        router.add("PATCH", "/v2/apis/{apiId}/integrations/{integrationId}", updateIntegration)
        router.add("DELETE", "/v2/apis/{apiId}/integrations/{integrationId}", deleteIntegration)
    }

    static let integrationTypes = ["AWS", "HTTP", "MOCK", "HTTP_PROXY", "AWS_PROXY"]

    @Sendable static func createIntegration(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let body = try context.body()
        let type = try body.required("integrationType", body.enumeration("integrationType", integrationTypes))

        let created = try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            var integration = try newIntegration(type, body, webSocket: document.api.protocolType == .websocket, context: context)
            integration.integrationId = Identifier.random(length: Identifier.integrationLength)
            while document.integration(integration.integrationId) != nil {
                integration.integrationId = Identifier.random(length: Identifier.integrationLength)
            }
            document.integrations.append(integration)
            try ApiQuotas.check(document)
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
            return integration
        }
        return try .json(201, created)
    }

    /// A new integration of `type` from the body, with AWS's defaults, checked.
    static func newIntegration(_ type: String, _ body: JSONBody, webSocket: Bool, context: OperationContext) throws(APIError) -> Integration {
        var integration = Integration(integrationId: "", integrationType: type)
        integration.connectionType = "INTERNET"
        if webSocket {
            integration.timeoutInMillis = WebSocketValidation.maxTimeoutMillis
            try applyMembers(body, to: &integration)
            integration.payloadFormatVersion = integration.payloadFormatVersion ?? "1.0"
            if !type.hasSuffix("_PROXY") {
                // Non-proxy integrations pass unmatched content types through unless told otherwise.
                integration.passthroughBehavior = integration.passthroughBehavior ?? "WHEN_NO_MATCH"
            }
            try WebSocketValidation.validate(integration)
            return integration
        }
        integration.timeoutInMillis = context.configuration.defaultIntegrationTimeoutMillis
        try applyMembers(body, to: &integration)
        // HTTP_PROXY supports only payload format 1.0, so Portico fills it in when omitted.
        if integration.integrationType == "HTTP_PROXY" && integration.payloadFormatVersion == nil {
            integration.payloadFormatVersion = "1.0"
        }
        try IntegrationValidation.validate(integration, maxTimeoutMillis: context.configuration.maxIntegrationTimeoutMillis)
        return integration
    }

    @Sendable static func getIntegrations(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let query = try context.query()
        let integrations = try await context.transaction { transaction in try context.document(transaction, apiId).integrations }
        let page = try Pagination.page(
            integrations, kind: "integrations", key: \.integrationId, maxResults: query.first("maxResults"),
            nextToken: query.first("nextToken"))
        return try .json(200, ListPage(items: page.items, nextToken: page.nextToken))
    }

    @Sendable static func getIntegration(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let integrationId = context.parameter("integrationId")
        let integration = try await context.transaction { transaction in
            guard let integration = try context.document(transaction, apiId).integration(integrationId) else {
                throw AWSMessages.integrationNotFound(integrationId)
            }
            return integration
        }
        return try .json(200, integration)
    }

    @Sendable static func updateIntegration(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let integrationId = context.parameter("integrationId")
        let body = try context.body()
        let newType = try body.enumeration("integrationType", integrationTypes)

        let updated = try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            guard let index = document.integrations.firstIndex(where: { $0.integrationId == integrationId }) else {
                throw AWSMessages.integrationNotFound(integrationId)
            }
            var integration = document.integrations[index]
            if let newType { integration.integrationType = newType }
            try applyMembers(body, to: &integration)
            if document.api.protocolType == .websocket {
                try WebSocketValidation.validate(integration)
            } else {
                try IntegrationValidation.validate(integration, maxTimeoutMillis: context.configuration.maxIntegrationTimeoutMillis)
            }
            document.integrations[index] = integration
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
            return integration
        }
        return try .json(200, updated)
    }

    @Sendable static func deleteIntegration(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let integrationId = context.parameter("integrationId")
        try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            guard let index = document.integrations.firstIndex(where: { $0.integrationId == integrationId }) else {
                throw AWSMessages.integrationNotFound(integrationId)
            }
            let referencing = document.routes.filter { $0.targetIntegrationId == integrationId }.map(\.routeId)
            guard referencing.isEmpty else {
                // AWS's wording, e.g. "... referenced by the following Routes with Ids: [xrfucl1]".
                throw APIError.conflict(
                    "Cannot delete Integration because it is referenced by the following Routes with Ids: [\(referencing.joined(separator: ", "))]")
            }
            if document.integrations[index].apiGatewayManaged == true {
                // AWS (Integration.ApiGatewayManaged): "You can update a managed integration, but you can't
                // delete it." The exact wording of AWS's refusal is not recorded; this one says what happened.
                throw APIError.badRequest("Cannot delete Integration \(integrationId): it is managed by API Gateway (quick create).")
            }
            document.integrations.remove(at: index)
            document.integrationResponses[integrationId] = nil
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
        }
        return .noContent
    }

    /// Reads the members CreateIntegration and UpdateIntegration share (all but `integrationType`).
    static func applyMembers(_ body: JSONBody, to integration: inout Integration) throws(APIError) {
        if let value = try body.string("connectionId", length: 1...1024) { integration.connectionId = value }
        if let value = try body.enumeration("connectionType", ["INTERNET", "VPC_LINK"]) { integration.connectionType = value }
        if let value = try body.enumeration("contentHandlingStrategy", ["CONVERT_TO_BINARY", "CONVERT_TO_TEXT"]) {
            integration.contentHandlingStrategy = value
        }
        if let value = try body.string("credentialsArn") { integration.credentialsArn = value }
        if let value = try body.string("description", length: 0...1024) { integration.description = value }
        if let value = try body.string("integrationMethod", length: 1...64) { integration.integrationMethod = value }
        if let value = try body.string("integrationSubtype", length: 1...128) { integration.integrationSubtype = value }
        if let value = try body.string("integrationUri", length: 1...2048) { integration.integrationUri = value }
        if let value = try body.enumeration("passthroughBehavior", ["WHEN_NO_MATCH", "NEVER", "WHEN_NO_TEMPLATES"]) {
            integration.passthroughBehavior = value
        }
        if let value = try body.string("payloadFormatVersion", length: 1...64) { integration.payloadFormatVersion = value }
        if let value = try body.stringMap("requestParameters") {
            // Merged, as AWS does: an empty value removes a mapping (Terraform relies on it).
            var merged = integration.requestParameters ?? [:]
            for (key, mapping) in value { merged[key] = mapping.isEmpty ? nil : mapping }
            integration.requestParameters = merged
        }
        if let value = try body.stringMap("requestTemplates") { integration.requestTemplates = value }
        if let value = try body.stringMapMap("responseParameters") {
            // Merged per status code; an empty map removes that status code's mappings.
            var merged = integration.responseParameters ?? [:]
            for (status, mappings) in value { merged[status] = mappings.isEmpty ? nil : mappings }
            integration.responseParameters = merged
        }
        if let value = try body.string("templateSelectionExpression") { integration.templateSelectionExpression = value }
        if let value = try body.string("integrationResponseSelectionExpression") {
            integration.integrationResponseSelectionExpression = value
        }
        if let value = try body.integer("timeoutInMillis") { integration.timeoutInMillis = value }
        if let tls = try body.object("tlsConfig") {
            integration.tlsConfig = TLSConfig(serverNameToVerify: try tls.string("serverNameToVerify"))
        }
    }
}
