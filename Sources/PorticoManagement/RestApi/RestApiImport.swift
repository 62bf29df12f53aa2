import PorticoModel

/// ImportRestApi (`POST /restapis?mode=import`) and PutRestApi (`PUT /restapis/{id}`): OpenAPI and
/// Swagger definitions with the `x-amazon-apigateway-*` extensions. Not implemented yet; this is
/// the seam: an importer builds a ``RestApiDocument`` (``RestApiOperations/createDocument(_:transaction:)``
/// makes the empty one with its root resource and default models) and stores it in one transaction.
enum RestApiImport {
    static func register(into router: inout Router<Operation>) {
        router.add("PUT", "/restapis/{restapi_id}", putRestApi)
    }

    static let notSupported = APIError.badRequest(
        "Portico does not support importing REST API definitions (ImportRestApi, PutRestApi) yet.")

    @Sendable static func importRestApi(_ context: OperationContext) async throws -> ManagementResponse {
        throw notSupported
    }

    @Sendable static func putRestApi(_ context: OperationContext) async throws -> ManagementResponse {
        let restApiId = context.restApiId
        _ = try await context.transaction { transaction in try context.restDocument(transaction, restApiId) }
        throw notSupported
    }
}
