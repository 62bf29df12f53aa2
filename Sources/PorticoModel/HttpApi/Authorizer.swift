/// An HTTP API authorizer (`apigatewayv2` CreateAuthorizer). Portico runs `REQUEST` (Lambda)
/// authorizers; `JWT` ones are refused until the data plane verifies tokens.
public struct Authorizer: Codable, Sendable, Equatable {
    public var authorizerId: String
    public var authorizerType: String
    public var name: String
    public var authorizerCredentialsArn: String?
    /// `1.0` or `2.0`: the event the function receives and (2.0) whether it may answer simply.
    public var authorizerPayloadFormatVersion: String?
    /// 0 (AWS's default when left out) turns caching off; at most 3600.
    public var authorizerResultTtlInSeconds: Int?
    public var authorizerUri: String?
    /// Payload 2.0 only: the function answers `{"isAuthorized": bool, "context": {...}}`.
    public var enableSimpleResponses: Bool?
    /// `$request.header.X`, `$request.querystring.X`, `$context.X`, `$stageVariables.X`.
    public var identitySource: [String]?
    public var identityValidationExpression: String?

    public init(authorizerId: String, authorizerType: String, name: String) {
        self.authorizerId = authorizerId
        self.authorizerType = authorizerType
        self.name = name
    }
}
