import NIOCore
import PorticoJWT
import PorticoModel
import PorticoRuntime

/// REST methods with `authorizationType: COGNITO_USER_POOLS` (AWS: "Control access to REST APIs
/// using Amazon Cognito user pools as an authorizer"): the token in the authorizer's header is
/// verified against the user pools' keys, in the gateway.
///
/// - no token, or one that does not verify → 401 `{"message":"Unauthorized"}` (UNAUTHORIZED);
/// - a method without `authorizationScopes` takes an id token (`token_use: id`); one with scopes
///   takes an access token (`token_use: access`) carrying one of them, else 401 as well (AWS
///   answers Unauthorized for a scope mismatch on REST Cognito methods — Portico's reading of the
///   developer guide, not recorded);
/// - the claims go to `$context.authorizer.claims.*` and the proxy event's
///   `requestContext.authorizer.claims`.
extension RestPipeline {
    func authorizeWithCognito(_ method: RestRuntimeMethod, _ authorizer: JwtRuntimeAuthorizer, _ next: @escaping (RestResponse?) -> Void) {
        guard case .header(let name) = authorizer.source, let value = rest.header(name, in: exchange.head).map({ Substring($0) }), !value.isEmpty
        else {
            next(unauthorized("Cognito token missing"))
            return
        }
        let token = BearerToken.strip(value)
        let cache = state.verifiedTokens
        let jws: CompactJWS
        if let known = cache.parsed(token) {
            jws = known
        } else {
            switch CompactJWS.parse(token) {
            case .success(let parsed): jws = parsed
            case .failure(let failure):
                next(unauthorized("Cognito token refused: \(failure.errorDescription)"))
                return
            }
        }
        guard case .string(let issuer)? = jws.claims["iss"], let verifier = authorizer.verifier(forIssuer: issuer) else {
            next(unauthorized("Cognito token refused: \(JWTFailure.wrongIssuer.errorDescription)"))
            return
        }
        let kid: String
        switch verifier.checkHeader(jws) {
        case .success(let checked): kid = checked.1
        case .failure(let failure):
            next(unauthorized("Cognito token refused: \(failure.errorDescription)"))
            return
        }
        let loop = state.pool.eventLoop
        let store = state.jwtKeys
        if let keys = store.cachedKeys(issuer, on: loop), keys.keys[kid] != nil {
            // The usual case, answered without a closure: keys known, signature usually remembered.
            next(finishCognito(method, jws, token: token, verifier: verifier, keys: keys))
            return
        }
        let reason: IssuerKeys.Reason = store.cachedKeys(issuer, on: loop) == nil ? .first : .unknownKey
        let exchange = self.exchange
        let bound = NIOLoopBound((exchange, self, method, jws, token, verifier, next), eventLoop: loop)
        store.request(issuer, reason, on: loop) { keys in
            let (exchange, pipeline, method, jws, token, verifier, next) = bound.value
            guard !exchange.responseHeadSent else { return }
            next(pipeline.finishCognito(method, jws, token: token, verifier: verifier, keys: keys))
        }
    }

    /// The token checked against the issuer's keys (`nil`: not available), then the method's scopes;
    /// nil when it is accepted (its claims then go to `$context.authorizer.claims`).
    private func finishCognito(
        _ method: RestRuntimeMethod, _ jws: CompactJWS, token: Substring, verifier: JWTVerifier, keys: JSONWebKeySet?
    ) -> RestResponse? {
        guard let keys else { return unauthorized("the user pool's signing keys are not available") }
        let scopes = method.authorizationScopes
        let use: JWTVerifier.TokenUse = scopes.isEmpty ? .id : .access
        switch verifier.verify(jws, token: token, keys: keys, now: exchange.startWallMillis / 1000, tokenUse: use, cache: state.verifiedTokens) {
        case .failure(let failure):
            return unauthorized("Cognito token refused: \(failure.errorDescription)")
        case .success(let verified):
            guard scopes.isEmpty || JwtScopes.allows(scopes, tokenScopes: JwtScopes.tokenScopes(verified.claims)) else {
                return unauthorized("the access token has none of the method's scopes")
            }
            rest.authorization = RestAuthorization(
                policy: AuthorizerPolicy(principalId: "", statements: []), latencyMillis: 0, claims: JwtClaims(claims: verified.claims, scopes: nil))
            rest.contextCache = nil
            return nil
        }
    }
}
