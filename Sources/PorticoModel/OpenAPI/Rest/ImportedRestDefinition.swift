/// A REST API definition (OpenAPI 3.0 or Swagger 2.0) read and checked, before it becomes part of
/// a ``RestApiDocument``: the API's settings, its operations as methods on paths, its models,
/// request validators and gateway responses, all without ids.
struct ImportedRestDefinition: Sendable {
    /// One operation: the method to put on the resource at `path` (base path applied).
    struct Operation: Sendable {
        var path: String
        /// Its `requestValidatorId` is empty; the validator is named by ``validatorName``.
        var method: RestMethod
        var validatorName: String?
    }

    var name: String
    var description: String?
    var version: String?
    var binaryMediaTypes: [String]?
    var minimumCompressionSize: Int?
    var apiKeySource: String?
    var policy: String?
    var endpointConfiguration: EndpointConfiguration?
    var disableExecuteApiEndpoint: Bool?
    var tags: [String: String] = [:]
    /// Every path of the definition, including those without operations (AWS creates their resources).
    var paths: [String] = []
    var operations: [Operation] = []
    /// Models with empty ids; schemas are JSON text with `$ref`s rewritten to AWS's model URLs.
    var models: [RestModel] = []
    /// Validators with empty ids, by name.
    var requestValidators: [RequestValidator] = []
    /// Authorizers with empty ids, named after their security schemes.
    var authorizers: [RestAuthorizer] = []
    var gatewayResponses: [GatewayResponse] = []
    var diagnostics = ImportDiagnostics()

    init(name: String) {
        self.name = name
    }
}
