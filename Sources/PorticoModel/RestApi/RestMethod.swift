/// A method of a REST API resource (`PutMethod`, `GetMethod`): how a request is authorised and
/// validated, what it declares (parameters, models), its method responses and its integration.
public struct RestMethod: Codable, Sendable, Equatable {
    public var httpMethod: String
    public var authorizationType: String
    public var authorizerId: String?
    public var apiKeyRequired: Bool
    public var requestValidatorId: String?
    public var operationName: String?
    /// `method.request.{header|querystring|path}.{name}` → whether it is required.
    public var requestParameters: [String: Bool]?
    /// Content type → model name.
    public var requestModels: [String: String]?
    public var methodResponses: [String: MethodResponse]?
    public var methodIntegration: RestIntegration?
    public var authorizationScopes: [String]?

    public init(httpMethod: String, authorizationType: String, apiKeyRequired: Bool = false) {
        self.httpMethod = httpMethod
        self.authorizationType = authorizationType
        self.apiKeyRequired = apiKeyRequired
    }

    /// The methods `PutMethod` accepts, in the order AWS lists them in its error message.
    public static let httpMethods = ["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD", "ANY"]
    public static let authorizationTypes = ["NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"]
}

/// A status code a method can answer, with the headers and models it declares for it.
public struct MethodResponse: Codable, Sendable, Equatable {
    public var statusCode: String
    /// `method.response.header.{name}` → whether it is required.
    public var responseParameters: [String: Bool]?
    public var responseModels: [String: String]?

    public init(statusCode: String) {
        self.statusCode = statusCode
    }
}
