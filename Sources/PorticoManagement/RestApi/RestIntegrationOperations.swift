import Foundation
import PorticoModel
import PorticoStore

/// PutIntegration, GetIntegration, UpdateIntegration, DeleteIntegration.
enum RestIntegrationOperations {
    static let path = RestMethodOperations.methodPath + "/integration"

    static func register(into router: inout Router<Operation>) {
        router.add("PUT", path, putIntegration)
        router.add("GET", path, getIntegration)
        router.add("PATCH", path, updateIntegration)
        router.add("DELETE", path, deleteIntegration)
    }

    /// AWS's order of the integration types in its ValidationException (recorded).
    static let typeOrder = ["HTTP", "MOCK", "AWS_PROXY", "HTTP_PROXY", "AWS"]

    @Sendable static func putIntegration(_ context: OperationContext) async throws -> ManagementResponse {
        let body = try context.body()
        let type = try body.required("type", body.string("type"))
        guard RestIntegration.types.contains(type) else {
            throw RestMessages.validationErrors([RestMessages.enumViolation(type, at: "putIntegrationInput.type", allowed: typeOrder)])
        }
        var template = RestIntegration(type: type)
        template.httpMethod = try body.string("httpMethod")
        template.uri = try body.string("uri")
        template.connectionType = try body.enumeration("connectionType", ["INTERNET", "VPC_LINK"])
        template.connectionId = try body.string("connectionId")
        template.credentials = try body.string("credentials")
        template.requestParameters = try body.stringMap("requestParameters")
        template.requestTemplates = try body.stringMap("requestTemplates")
        template.passthroughBehavior = try body.enumeration("passthroughBehavior", RestIntegration.passthroughBehaviors) ?? "WHEN_NO_MATCH"
        template.contentHandling = try body.enumeration("contentHandling", RestIntegration.contentHandlingStrategies)
        template.timeoutInMillis = try body.integer("timeoutInMillis") ?? RestIntegration.defaultTimeoutMillis
        template.cacheNamespace = try body.string("cacheNamespace")
        template.cacheKeyParameters = try body.stringList("cacheKeyParameters") ?? []
        if let tls = try body.object("tlsConfig") {
            template.tlsConfig = RestTLSConfig(insecureSkipVerification: try tls.bool("insecureSkipVerification"))
        }
        try RestIntegrationValidation.validate(template, maximumTimeout: context.configuration.maxRestIntegrationTimeoutMillis)
        let integration = template

        let created = try await context.transaction { transaction in
            let resourceId = context.parameter("resource_id")
            return try context.changeRestMethod(transaction) { method, _ in
                var new = integration
                // AWS's cache namespace defaults to the resource id.
                if new.cacheNamespace == nil { new.cacheNamespace = resourceId }
                // Judgement: a second put keeps the integration responses already defined.
                new.integrationResponses = method.methodIntegration?.integrationResponses
                method.methodIntegration = new
            }.methodIntegration
        }
        return try .restJSON(201, created)
    }

    @Sendable static func getIntegration(_ context: OperationContext) async throws -> ManagementResponse {
        let integration = try await context.transaction { transaction in
            guard let integration = try context.restMethod(transaction).methodIntegration else { throw RestMessages.integrationNotFound }
            return integration
        }
        return try .restJSON(200, integration)
    }

    @Sendable static func updateIntegration(_ context: OperationContext) async throws -> ManagementResponse {
        let operations = try PatchOperation.read(try context.body(), input: "updateIntegrationInput")
        let maximumTimeout = context.configuration.maxRestIntegrationTimeoutMillis
        let updated = try await context.transaction { transaction in
            try context.changeRestMethod(transaction) { method, _ in
                guard var integration = method.methodIntegration else { throw RestMessages.integrationNotFound }
                for operation in operations {
                    try RestIntegrationPatch.apply(operation, to: &integration)
                }
                try RestIntegrationValidation.validate(integration, maximumTimeout: maximumTimeout)
                method.methodIntegration = integration
            }.methodIntegration
        }
        return try .restJSON(200, updated)
    }

    @Sendable static func deleteIntegration(_ context: OperationContext) async throws -> ManagementResponse {
        try await context.transaction { transaction in
            _ = try context.changeRestMethod(transaction) { method, _ in
                guard method.methodIntegration != nil else { throw RestMessages.integrationNotFound }
                method.methodIntegration = nil
            }
        }
        return .noContent
    }
}
