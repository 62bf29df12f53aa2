import Foundation
import PorticoModel
import PorticoStore

/// PutIntegrationResponse, GetIntegrationResponse, UpdateIntegrationResponse, DeleteIntegrationResponse.
enum RestIntegrationResponseOperations {
    static let path = RestIntegrationOperations.path + "/responses/{status_code}"

    static func register(into router: inout Router<Operation>) {
        router.add("PUT", path, putIntegrationResponse)
        router.add("GET", path, getIntegrationResponse)
        router.add("PATCH", path, updateIntegrationResponse)
        router.add("DELETE", path, deleteIntegrationResponse)
    }

    /// Runs `change` on the method's integration (404 `Invalid Integration identifier specified`
    /// when it has none) and returns the changed integration.
    static func changeIntegration(
        _ context: OperationContext, _ transaction: any StoreTransaction, _ change: (inout RestIntegration) throws -> Void
    ) throws -> RestIntegration {
        let method = try context.changeRestMethod(transaction) { method, _ in
            guard var integration = method.methodIntegration else { throw RestMessages.integrationNotFound }
            try change(&integration)
            method.methodIntegration = integration
        }
        return method.methodIntegration!
    }

    @Sendable static func putIntegrationResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let statusCode = try context.restStatusCode()
        let body = try context.body()
        var template = IntegrationResponse(statusCode: statusCode)
        template.selectionPattern = try body.string("selectionPattern")
        template.responseParameters = try body.stringMap("responseParameters")
        template.responseTemplates = try body.stringMap("responseTemplates", nullAsEmpty: true)
        template.contentHandling = try body.enumeration("contentHandling", RestIntegration.contentHandlingStrategies)
        let response = template
        try await context.transaction { transaction in
            _ = try changeIntegration(context, transaction) { integration in
                integration.integrationResponses = (integration.integrationResponses ?? [:]).merging([statusCode: response]) { $1 }
            }
        }
        return try .restJSON(201, response)
    }

    @Sendable static func getIntegrationResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let statusCode = try context.restStatusCode()
        let response = try await context.transaction { transaction in
            guard let integration = try context.restMethod(transaction).methodIntegration else { throw RestMessages.integrationNotFound }
            guard let response = integration.integrationResponses?[statusCode] else { throw RestMessages.responseNotFound }
            return response
        }
        return try .restJSON(200, response)
    }

    @Sendable static func updateIntegrationResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let statusCode = try context.restStatusCode()
        let operations = try PatchOperation.read(try context.body(), input: "updateIntegrationResponseInput")
        let integration = try await context.transaction { transaction in
            try changeIntegration(context, transaction) { integration in
                guard var response = integration.integrationResponses?[statusCode] else { throw RestMessages.responseNotFound }
                for operation in operations {
                    try RestIntegrationPatch.apply(operation, to: &response)
                }
                integration.integrationResponses?[statusCode] = response
            }
        }
        return try .restJSON(200, integration.integrationResponses?[statusCode])
    }

    @Sendable static func deleteIntegrationResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let statusCode = try context.restStatusCode()
        try await context.transaction { transaction in
            _ = try changeIntegration(context, transaction) { integration in
                guard integration.integrationResponses?.removeValue(forKey: statusCode) != nil else {
                    throw RestMessages.responseNotFound
                }
            }
        }
        return .noContent
    }
}
