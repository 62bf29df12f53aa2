import NIOCore
import PorticoJWT
import PorticoModel
import PorticoRuntime

/// HTTP API routes with `authorizationType: JWT` (AWS: "Control access to HTTP APIs with JWT
/// authorizers"), checked once the request is in and before the integration:
///
/// - no token in the identity source → `401 {"message":"Unauthorized"}`;
/// - a token that does not verify (docs/JWT_AUTHORIZERS.md lists every check) → 401, with
///   `www-authenticate: Bearer scope="" error="invalid_token" error_description="…"` as AWS sends;
/// - a valid token without one of the route's `authorizationScopes` → `403 {"message":"Forbidden"}`
///   with `www-authenticate: Bearer scope="…" error="insufficient_scope" …` (Portico's guess at
///   AWS's wording);
/// - otherwise the claims go on to the integration (`$context.authorizer.claims.*`, the Lambda
///   event's `authorizer.jwt`).
///
/// Keys come from ``JwtKeyStore``: a request waits only for an issuer's first fetch or for a
/// bounded refresh when its `kid` is unknown.
extension GatewayHandler {
    func authorizeJwt(_ exchange: Exchange, _ pending: DeferredAuthorization, _ authorizer: JwtRuntimeAuthorizer, scopes: [String]) {
        guard let context else { return }
        guard let token = bearerToken(authorizer.source, exchange, pending) else {
            exchange.errorMessage = "JWT missing from the identity source"
            respond(.unauthorized, exchange)
            return
        }
        let jws: CompactJWS
        if let known = state.verifiedTokens.parsed(token) {
            jws = known
        } else {
            switch CompactJWS.parse(token) {
            case .success(let parsed): jws = parsed
            case .failure(let failure): return refuseJwt(exchange, failure)
            }
        }
        // The unverified `iss` only picks which trusted issuer's verifier (and keys) to use.
        guard case .string(let issuer)? = jws.claims["iss"], let verifier = authorizer.verifier(forIssuer: issuer) else {
            return refuseJwt(exchange, .wrongIssuer)
        }
        let kid: String
        switch verifier.checkHeader(jws) {
        case .success(let checked): kid = checked.1
        case .failure(let failure): return refuseJwt(exchange, failure)
        }
        let loop = context.eventLoop
        let finish: (JSONWebKeySet?) -> Void = { [self] keys in
            guard let keys else {
                // The issuer's keys could not be fetched (Portico's guess at AWS: a 401).
                exchange.errorMessage = "the issuer's signing keys are not available"
                self.refuseJwt(exchange, .unknownKey)
                return
            }
            self.finishJwt(exchange, pending, jws: jws, token: token, verifier: verifier, keys: keys, scopes: scopes)
        }
        if let keys = state.jwtKeys.cachedKeys(issuer, on: loop), keys.keys[kid] != nil {
            finish(keys)
            return
        }
        let reason: IssuerKeys.Reason = state.jwtKeys.cachedKeys(issuer, on: loop) == nil ? .first : .unknownKey
        let bound = NIOLoopBound((self, exchange, finish), eventLoop: loop)
        state.jwtKeys.request(issuer, reason, on: loop) { keys in
            let (handler, exchange, finish) = bound.value
            guard handler.exchange === exchange, !exchange.responseHeadSent else { return }
            finish(keys)
        }
    }

    private func finishJwt(
        _ exchange: Exchange, _ pending: DeferredAuthorization, jws: CompactJWS, token: Substring, verifier: JWTVerifier,
        keys: JSONWebKeySet, scopes: [String]
    ) {
        // Claims are checked at the request's arrival (read once per request).
        let now = exchange.startWallMillis / 1000
        switch verifier.verify(jws, token: token, keys: keys, now: now, cache: state.verifiedTokens) {
        case .failure(let failure):
            refuseJwt(exchange, failure)
        case .success(let jws):
            let tokenScopes = JwtScopes.tokenScopes(jws.claims)
            guard JwtScopes.allows(scopes, tokenScopes: tokenScopes) else {
                exchange.errorMessage = "the token has none of the route's scopes"
                let expected = scopes.joined(separator: " ")
                exchange.deferredHeaders.append(
                    ("www-authenticate", "Bearer scope=\"\(expected)\" error=\"insufficient_scope\" error_description=\"expected scopes: [\(expected)]\""))
                respond(.forbidden, exchange)
                return
            }
            exchange.httpAuthorization = HttpAuthorization(
                principalId: nil, context: [:], latencyMillis: 0, jwt: JwtClaims(claims: jws.claims, scopes: tokenScopes.isEmpty ? nil : tokenScopes))
            continueAfterAuthorization(exchange, pending)
        }
    }

    private func refuseJwt(_ exchange: Exchange, _ failure: JWTFailure) {
        if exchange.errorMessage == nil { exchange.errorMessage = "JWT refused: \(failure.errorDescription)" }
        exchange.deferredHeaders.append(
            ("www-authenticate", "Bearer scope=\"\" error=\"invalid_token\" error_description=\"\(failure.errorDescription)\""))
        respond(.unauthorized, exchange)
    }

    /// The identity source's value without a `Bearer ` prefix (AWS: "The identitySource can include
    /// only the token, or the token prefixed with Bearer").
    private func bearerToken(_ source: HttpIdentitySource, _ exchange: Exchange, _ pending: DeferredAuthorization) -> Substring? {
        var value: Substring
        switch source {
        case .header(let name):
            guard let first = exchange.head.headers.first(name: name) else { return nil }
            value = Substring(first)
        case .queryString(let name):
            guard let first = ProxyRequest.parseQuery(pending.query).first(where: { $0.0 == name }) else { return nil }
            value = Substring(first.1)
        default:
            return nil
        }
        value = BearerToken.strip(value)
        return value.isEmpty ? nil : value
    }
}
