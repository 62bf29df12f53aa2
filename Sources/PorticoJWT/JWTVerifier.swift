import Crypto
import PorticoModel
import _CryptoExtras

/// Verifies compact JWS tokens against an issuer's keys, as AWS's JWT authorizers do (developer
/// guide, "Control access to HTTP APIs with JWT authorizers"): the algorithm and signature with
/// the key named by `kid`, then `iss`, `aud` (or `client_id` when the token has no `aud`), `exp`,
/// `nbf` and `iat`. Pure: no I/O, and the time comes in as an argument, so every edge is testable.
///
/// Stricter than AWS's documentation spells out, on purpose: `exp` is required; `crit` is refused
/// (Portico implements no JWS extensions); `jku`, `jwk`, `x5u` and `x5c` are refused, since the
/// key comes from the issuer's key set and never from the token; a key whose JWKS entry names an
/// `alg` only verifies that algorithm.
public struct JWTVerifier: Sendable {
    /// Which Cognito token a request must carry (`token_use`); `.any` for plain JWT authorizers.
    public enum TokenUse: Sendable { case any, id, access }

    /// Seconds of leeway for `exp`, `nbf` and `iat`, for clocks that disagree a little. AWS does
    /// not document one; Portico allows 60 seconds (said in docs/JWT_AUTHORIZERS.md).
    public static let defaultClockSkewSeconds: Int64 = 60

    public let issuer: String
    /// nil: the audience is not checked (Cognito user pool authorizers accept any app client of
    /// the pool, as AWS's do).
    public let audiences: [String]?
    public let algorithms: Set<JWTAlgorithm>
    public let clockSkewSeconds: Int64

    public init(
        issuer: String, audiences: [String]?, algorithms: Set<JWTAlgorithm> = JWTAlgorithm.rsaBased,
        clockSkewSeconds: Int64 = JWTVerifier.defaultClockSkewSeconds
    ) {
        self.issuer = issuer
        self.audiences = audiences
        self.algorithms = algorithms
        self.clockSkewSeconds = clockSkewSeconds
    }

    /// The header checks that need no key: what a token is refused for before its `kid` is looked
    /// up (so a bad token never causes a key-set refresh). Returns the algorithm and the `kid`.
    public func checkHeader(_ jws: CompactJWS) -> Result<(JWTAlgorithm, String), JWTFailure> {
        guard case .string(let name)? = jws.header["alg"] else { return .failure(.malformed) }
        // `none`, `None`, `NONE`, `HS256`… are not in the enumeration, so they can never match.
        guard let algorithm = JWTAlgorithm(rawValue: name), algorithms.contains(algorithm) else {
            return .failure(.algorithmNotAllowed(name))
        }
        // One pass over the header's few members finds whether any refused one is there (this runs on
        // every request); only then are they looked up, in a fixed order, for the reason given.
        var refusedMember = false
        for name in jws.header.keys {
            switch name {
            case "crit", "jku", "jwk", "x5u", "x5c": refusedMember = true
            default: continue
            }
        }
        if refusedMember {
            if jws.header["crit"] != nil { return .failure(.criticalHeader) }
            for member in Self.foreignKeyMembers where jws.header[member] != nil {
                return .failure(.foreignKeyReference(member))
            }
        }
        guard case .string(let kid)? = jws.header["kid"], !kid.isEmpty else { return .failure(.unknownKey) }
        return .success((algorithm, kid))
    }

    /// Header members that point at keys outside the issuer's key set, refused in this order.
    static let foreignKeyMembers = ["jku", "jwk", "x5u", "x5c"]

    /// The whole verification. `now` is seconds since the epoch.
    public func verify(_ token: Substring, keys: JSONWebKeySet, now: Int64, tokenUse: TokenUse = .any) -> Result<CompactJWS, JWTFailure> {
        switch CompactJWS.parse(token) {
        case .success(let jws): verify(jws, token: token, keys: keys, now: now, tokenUse: tokenUse, cache: nil)
        case .failure(let failure): .failure(failure)
        }
    }

    /// The whole verification of a token already parsed (`jws` is `token` taken apart, perhaps
    /// by `cache`). With a cache, a signature it has seen verified with the same key is not
    /// checked again, and a newly verified one is remembered; everything else is checked as always.
    public func verify(
        _ jws: CompactJWS, token: Substring, keys: JSONWebKeySet, now: Int64, tokenUse: TokenUse = .any, cache: VerifiedTokenCache?
    ) -> Result<CompactJWS, JWTFailure> {
        let algorithm: JWTAlgorithm
        let kid: String
        switch checkHeader(jws) {
        case .success(let checked): (algorithm, kid) = checked
        case .failure(let failure): return .failure(failure)
        }
        guard let key = keys.keys[kid] else { return .failure(.unknownKey) }
        // The key decides what it verifies: an RSA key never checks an EC signature, and a key
        // published with an `alg` checks only that one.
        guard key.keyType == algorithm.keyType, key.algorithm == nil || key.algorithm == algorithm.rawValue else {
            return .failure(.algorithmNotAllowed(algorithm.rawValue))
        }
        if let cache, cache.signatureKnownValid(token, kid: kid, key: key) {
            // Verified before with this very key: only the claims below can have changed their answer.
        } else {
            guard Self.signatureIsValid(jws, algorithm: algorithm, key: key) else { return .failure(.badSignature) }
            cache?.remember(token, kid: kid, key: key)
        }
        if let failure = checkClaims(jws.claims, now: now, tokenUse: tokenUse) { return .failure(failure) }
        return .success(jws)
    }

    func checkClaims(_ claims: [String: JSONValue], now: Int64, tokenUse: TokenUse) -> JWTFailure? {
        guard case .string(let tokenIssuer)? = claims["iss"], tokenIssuer == issuer else { return .wrongIssuer }
        if let audiences {
            // AWS: `aud` when the token has one (a string or a list), `client_id` only when it has not.
            switch claims["aud"] {
            case .string(let audience)?:
                if !audiences.contains(audience) { return .wrongAudience }
            case .array(let list)?:
                let matches = list.contains { if case .string(let audience) = $0 { audiences.contains(audience) } else { false } }
                if !matches { return .wrongAudience }
            case nil:
                guard case .string(let clientId)? = claims["client_id"], audiences.contains(clientId) else { return .wrongAudience }
            default:
                return .wrongAudience
            }
        }
        guard let expiry = claims["exp"] else { return .missingExpiry }
        guard let exp = Self.numericDate(expiry) else { return .malformed }
        // RFC 7519 §4.1.4: the token is refused on or after `exp`; the skew moves that edge later.
        if Double(now) >= exp + Double(clockSkewSeconds) { return .expired }
        if let value = claims["nbf"] {
            guard let nbf = Self.numericDate(value) else { return .malformed }
            if Double(now + clockSkewSeconds) < nbf { return .notYetValid }
        }
        if let value = claims["iat"] {
            guard let iat = Self.numericDate(value) else { return .malformed }
            if iat > Double(now + clockSkewSeconds) { return .issuedInFuture }
        }
        switch tokenUse {
        case .any: break
        case .id: if claims["token_use"] != .string("id") { return .wrongTokenUse }
        case .access: if claims["token_use"] != .string("access") { return .wrongTokenUse }
        }
        return nil
    }

    static func numericDate(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let seconds): Double(seconds)
        case .number(let seconds) where seconds.isFinite: seconds
        default: nil
        }
    }

    static func signatureIsValid(_ jws: CompactJWS, algorithm: JWTAlgorithm, key: JSONWebKey) -> Bool {
        let input = Array(jws.signingInput)
        switch (algorithm, key.material) {
        case (.rs256, .rsa(let rsa)), (.ps256, .rsa(let rsa)):
            return rsaValid(rsa, jws.signature, SHA256.hash(data: input), pss: algorithm == .ps256)
        case (.rs384, .rsa(let rsa)), (.ps384, .rsa(let rsa)):
            return rsaValid(rsa, jws.signature, SHA384.hash(data: input), pss: algorithm == .ps384)
        case (.rs512, .rsa(let rsa)), (.ps512, .rsa(let rsa)):
            return rsaValid(rsa, jws.signature, SHA512.hash(data: input), pss: algorithm == .ps512)
        case (.es256, .p256(let ec)):
            // JWS ECDSA signatures are R || S, each the curve's size (RFC 7518 §3.4), never DER.
            guard jws.signature.count == 64, let signature = try? P256.Signing.ECDSASignature(rawRepresentation: jws.signature) else {
                return false
            }
            return ec.isValidSignature(signature, for: SHA256.hash(data: input))
        case (.es384, .p384(let ec)):
            guard jws.signature.count == 96, let signature = try? P384.Signing.ECDSASignature(rawRepresentation: jws.signature) else {
                return false
            }
            return ec.isValidSignature(signature, for: SHA384.hash(data: input))
        default:
            return false
        }
    }

    private static func rsaValid(_ key: _RSA.Signing.PublicKey, _ bytes: [UInt8], _ digest: some Digest, pss: Bool) -> Bool {
        // The signature is exactly the modulus size (RFC 8017 §8.2.2 step 1).
        guard bytes.count * 8 == key.keySizeInBits else { return false }
        let signature = _RSA.Signing.RSASignature(rawRepresentation: bytes)
        // PSS with MGF1 and a salt as long as the hash, as RFC 7518 §3.5 requires.
        return key.isValidSignature(signature, for: digest, padding: pss ? .PSS : .insecurePKCS1v1_5)
    }
}
