/// A REST API authorizer (`CreateAuthorizer`): a Lambda function called with the request's
/// identity (`TOKEN`: one header; `REQUEST`: headers, query string, stage variables, context)
/// that answers with an IAM policy, or Cognito user pools (`COGNITO_USER_POOLS`, whose tokens the
/// gateway verifies; docs/JWT_AUTHORIZERS.md).
public struct RestAuthorizer: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var type: String
    public var providerARNs: [String]?
    public var authType: String?
    public var authorizerUri: String?
    public var authorizerCredentials: String?
    /// `method.request.header.Authorization`; for `REQUEST` a comma list of sources.
    public var identitySource: String?
    public var identityValidationExpression: String?
    /// AWS answers 300 when the request left it out (0 turns the cache off, 3600 at most).
    public var authorizerResultTtlInSeconds: Int?

    public init(id: String, name: String, type: String) {
        self.id = id
        self.name = name
        self.type = type
    }

    public static let types = ["TOKEN", "REQUEST", "COGNITO_USER_POOLS"]
    public static let defaultResultTtl = 300
    public static let maximumResultTtl = 3600

    /// `TOKEN` and `REQUEST` authorizers call a Lambda function.
    public var isLambda: Bool { type == "TOKEN" || type == "REQUEST" }
}
