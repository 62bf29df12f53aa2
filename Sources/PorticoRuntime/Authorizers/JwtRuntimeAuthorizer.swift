public import PorticoJWT
public import PorticoModel

/// A JWT authorizer compiled once per stage deployment: an HTTP API `JWT` authorizer, or a REST
/// `COGNITO_USER_POOLS` one (a JWT authorizer whose issuers are the user pools). The keys are not
/// here: they belong to the issuer and live in the data plane's key store, shared by every
/// deployment that trusts the issuer.
public final class JwtRuntimeAuthorizer: Sendable {
    public let id: String
    public let name: String
    /// Where the token is read: a header (HTTP APIs: any; REST: `method.request.header.X`) or,
    /// for HTTP APIs, a query string parameter.
    public let source: HttpIdentitySource
    /// One verifier per trusted issuer (a Cognito authorizer may name several user pools).
    public let verifiers: [JWTVerifier]

    public init(id: String, name: String, source: HttpIdentitySource, verifiers: [JWTVerifier]) {
        self.id = id
        self.name = name
        self.source = source
        self.verifiers = verifiers
    }

    /// An HTTP API `JWT` authorizer; nil (with a warning) when its configuration cannot be used.
    public static func http(_ authorizer: Authorizer, warnings: inout [String]) -> JwtRuntimeAuthorizer? {
        guard let issuer = authorizer.jwtConfiguration?.issuer, JwtIssuer.isAcceptable(issuer),
            let source = authorizer.identitySource?.first.flatMap(HttpIdentitySource.init(expression:))
        else {
            warnings.append("authorizer \(authorizer.name): the JWT configuration cannot be used; requests through it answer 500")
            return nil
        }
        let audiences = authorizer.jwtConfiguration?.audience ?? []
        return JwtRuntimeAuthorizer(
            id: authorizer.authorizerId, name: authorizer.name, source: source,
            verifiers: [JWTVerifier(issuer: issuer, audiences: audiences)])
    }

    /// A REST `COGNITO_USER_POOLS` authorizer: each provider ARN's user pool is a trusted issuer
    /// (`https://cognito-idp.{region}.amazonaws.com/{poolId}`, or under `--cognito-endpoint`); no
    /// audience check (any app client of the pool, as AWS); the token in the identity source's
    /// header (`method.request.header.Authorization` by default). RS256 is what Cognito signs with.
    public static func cognito(_ authorizer: RestAuthorizer, endpoint: String?, warnings: inout [String]) -> JwtRuntimeAuthorizer? {
        var issuers: [String] = []
        for arn in authorizer.providerARNs ?? [] {
            guard let issuer = JwtIssuer.cognitoIssuer(providerArn: arn, endpoint: endpoint), JwtIssuer.isAcceptable(issuer) else {
                warnings.append("authorizer \(authorizer.name): \(arn) is not a usable user pool ARN; skipped")
                continue
            }
            issuers.append(issuer)
        }
        let header: String
        switch RestAuthorizerSource(expression: authorizer.identitySource ?? "method.request.header.Authorization") {
        case .header(let name)?: header = name
        default: header = "Authorization"
        }
        guard !issuers.isEmpty else {
            warnings.append("authorizer \(authorizer.name): no usable user pool; requests through it answer 500")
            return nil
        }
        return JwtRuntimeAuthorizer(
            id: authorizer.id, name: authorizer.name, source: .header(header),
            verifiers: issuers.map { JWTVerifier(issuer: $0, audiences: nil) })
    }

    /// The verifier for a token's issuer (read from the unverified payload only to choose it).
    public func verifier(forIssuer issuer: String) -> JWTVerifier? {
        verifiers.first { $0.issuer == issuer }
    }
}

/// The scope check of a route or method (AWS: "If you configure scopes for a route, the token
/// must include at least one of the route's scopes"), on the `scope` claim (space-separated, RFC
/// 8693) or `scp` (a list or a space-separated string, as some providers send it).
public enum JwtScopes {
    public static func tokenScopes(_ claims: [String: JSONValue]) -> [String] {
        var scopes: [String] = []
        func add(_ claim: JSONValue?) {
            switch claim {
            case .string(let text)?: scopes += text.split(separator: " ").map(String.init)
            case .array(let values)?: scopes += values.compactMap { if case .string(let scope) = $0 { scope } else { nil } }
            default: break
            }
        }
        add(claims["scope"])
        add(claims["scp"])
        return scopes
    }

    public static func allows(_ required: [String], tokenScopes: [String]) -> Bool {
        required.isEmpty || required.contains { tokenScopes.contains($0) }
    }
}
