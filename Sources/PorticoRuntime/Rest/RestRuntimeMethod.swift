import PorticoModel
public import PorticoTemplates

/// A REST API method with everything resolved once per deployment: validation, integration and
/// the route object shared with the metrics and access-log code.
public final class RestRuntimeMethod: Sendable {
    /// `GET`, … or `ANY`.
    public let httpMethod: String
    public let resourcePath: String
    public let resourceId: String
    /// Metrics and access-log identity (`routeKey` is `GET /pets/{id}`).
    public let route: RuntimeRoute
    public let validation: RestRequestValidation
    public let integration: RestRuntimeIntegration
    /// `authorizationType: AWS_IAM`: the request must be signed (SigV4).
    public let requiresSignature: Bool
    /// `apiKeyRequired`: the request must carry an API key (`x-api-key`).
    public let apiKeyRequired: Bool

    public init(
        httpMethod: String, resourcePath: String, resourceId: String, route: RuntimeRoute, validation: RestRequestValidation,
        integration: RestRuntimeIntegration, requiresSignature: Bool = false, apiKeyRequired: Bool = false
    ) {
        self.httpMethod = httpMethod
        self.resourcePath = resourcePath
        self.resourceId = resourceId
        self.route = route
        self.validation = validation
        self.integration = integration
        self.requiresSignature = requiresSignature
        self.apiKeyRequired = apiKeyRequired
    }
}

/// What a method's request validator checks (AWS: "Request validation for REST APIs").
public struct RestRequestValidation: Sendable {
    /// Required `method.request.header.*` names, as declared (matched case-insensitively).
    public var requiredHeaders: [String] = []
    public var requiredPathParameters: [String] = []
    public var requiredQueryParameters: [String] = []
    /// Model schemas by lower-cased content type, when the validator checks bodies.
    public var bodyModels: [String: String] = [:]
    public var validatesBody = false

    public init() {}

    public var isEmpty: Bool {
        requiredHeaders.isEmpty && requiredPathParameters.isEmpty && requiredQueryParameters.isEmpty && !validatesBody
    }
}

/// How a REST method reaches its backend.
public struct RestRuntimeIntegration: Sendable {
    public enum Kind: Sendable {
        /// `MOCK`: the request template's `statusCode` picks the integration response.
        case mock
        /// `HTTP` (non-proxy): templates and integration responses map both ways.
        case http(HTTPTarget)
        /// `HTTP_PROXY`: the request goes through, and the response comes back, as they are.
        case httpProxy(HTTPTarget)
        /// Cannot be served (unsupported type, bad URI): requests get a 500 and the reason is logged.
        case unusable(reason: String)
    }

    public let kind: Kind
    /// The backend method; nil means the request's own (`ANY`).
    public let method: String?
    public let timeoutMillis: Int
    public let requestParameters: [(target: RestParameterTarget, source: RestValueSource)]
    public let requestTemplates: RequestTemplateSelector
    /// `CONVERT_TO_TEXT` / `CONVERT_TO_BINARY` for the request payload, or nil (pass as it is).
    public let contentHandling: String?
    public let responses: RestIntegrationResponses
}
