public import PorticoSchema
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
    /// The method's request validator, prepared with its models' compiled schemas.
    public let validation: RequestValidation
    public let integration: RestRuntimeIntegration
    /// `authorizationType: AWS_IAM`: the request must be signed (SigV4).
    public let requiresSignature: Bool
    /// `apiKeyRequired`: the request must carry an API key (`x-api-key`).
    public let apiKeyRequired: Bool
    /// `authorizationType: CUSTOM`: the Lambda authorizer that runs before validation.
    public let authorizer: RestRuntimeAuthorizer?
    /// `CUSTOM` or `COGNITO_USER_POOLS` with no authorizer the data plane can run (a lost id, an
    /// unusable pool ARN): requests answer 500 AUTHORIZER_CONFIGURATION_ERROR rather than pass.
    public let authorizerUnusable: Bool
    /// `authorizationType: COGNITO_USER_POOLS`: the user pools' tokens are verified in the gateway.
    public let jwtAuthorizer: JwtRuntimeAuthorizer?
    /// `authorizationScopes` of a Cognito method: with scopes the token must be an access token
    /// carrying one of them; without, an id token (AWS's rule for Cognito user pool authorizers).
    public let authorizationScopes: [String]
    /// `"{resourcePath}/{httpMethod}"`, as a usage plan's per-method throttles name the method.
    public let usagePlanMethodKey: String
    /// How the method uses the stage's response cache; nil when it is not cached.
    public let caching: MethodCachePolicy?

    public init(
        httpMethod: String, resourcePath: String, resourceId: String, route: RuntimeRoute, validation: RequestValidation,
        integration: RestRuntimeIntegration, requiresSignature: Bool = false, apiKeyRequired: Bool = false,
        authorizer: RestRuntimeAuthorizer? = nil, authorizerUnusable: Bool = false,
        jwtAuthorizer: JwtRuntimeAuthorizer? = nil, authorizationScopes: [String] = [], caching: MethodCachePolicy? = nil
    ) {
        self.caching = caching
        self.jwtAuthorizer = jwtAuthorizer
        self.authorizationScopes = authorizationScopes
        self.httpMethod = httpMethod
        self.resourcePath = resourcePath
        self.resourceId = resourceId
        self.route = route
        self.validation = validation
        self.integration = integration
        self.requiresSignature = requiresSignature
        self.apiKeyRequired = apiKeyRequired
        self.authorizer = authorizer
        self.authorizerUnusable = authorizerUnusable
        self.usagePlanMethodKey = (resourcePath == "/" ? "" : resourcePath) + "/" + httpMethod
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
        /// `AWS_PROXY` to a Lambda function: payload 1.0 event in, proxy response out
        /// (AWS_FACTS 2–4, L4).
        case lambdaProxy(LambdaTarget)
        /// `AWS` to a Lambda function (non-proxy): the request template's output is the event;
        /// the function's result (or error JSON) goes through the integration responses, chosen
        /// by `selectionPattern` against the error's `errorMessage` (L4).
        case lambda(LambdaTarget)
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
