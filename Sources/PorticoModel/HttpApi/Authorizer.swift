/// An HTTP API authorizer (`apigatewayv2` CreateAuthorizer): `REQUEST` (Lambda) or `JWT`
/// (verified by the gateway against the issuer's keys; docs/JWT_AUTHORIZERS.md).
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
    /// `JWT` only: the issuer and the accepted audiences.
    public var jwtConfiguration: JwtConfiguration?

    public init(authorizerId: String, authorizerType: String, name: String) {
        self.authorizerId = authorizerId
        self.authorizerType = authorizerType
        self.name = name
    }
}

/// `JwtConfiguration` of a JWT authorizer (AWS API reference): `issuer` is the base URL of the
/// identity provider (its `/.well-known/openid-configuration` names the key set), `audience` the
/// `aud` (or, without one, `client_id`) values a token may carry.
public struct JwtConfiguration: Codable, Sendable, Equatable {
    public var audience: [String]?
    public var issuer: String?

    public init(audience: [String]? = nil, issuer: String? = nil) {
        self.audience = audience
        self.issuer = issuer
    }
}
