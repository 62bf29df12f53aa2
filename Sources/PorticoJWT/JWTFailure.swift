/// Why a token was refused. Every case answers 401 on the data plane; ``errorDescription`` is what
/// goes into the `www-authenticate` header's `error_description`, as AWS's HTTP APIs report it
/// (AWS documents "the token does not have a valid audience"; the other wordings are Portico's,
/// in the same style).
public enum JWTFailure: Error, Sendable, Equatable {
    case malformed
    /// `alg` is `none` (any spelling), an HMAC algorithm, or one the authorizer does not allow.
    case algorithmNotAllowed(String)
    /// The header has no `kid`, or one the issuer's key set does not have.
    case unknownKey
    /// `jku`, `jwk`, `x5u` or `x5c`: key material or a key location chosen by the token's sender.
    case foreignKeyReference(String)
    /// `crit` names extensions the verifier must understand; Portico understands none.
    case criticalHeader
    case badSignature
    case missingExpiry
    case expired
    case notYetValid
    case issuedInFuture
    case wrongIssuer
    case wrongAudience
    /// Cognito: an access token where an id token is expected, or the other way round.
    case wrongTokenUse

    public var errorDescription: String {
        switch self {
        case .malformed: "the token is malformed"
        case .algorithmNotAllowed(let name): "signing method \(name) is invalid"
        case .unknownKey: "the token's key id is unknown"
        case .foreignKeyReference(let name): "the token header \(name) is not accepted"
        case .criticalHeader: "the token has an unsupported critical header"
        case .badSignature: "the token does not have a valid signature"
        case .missingExpiry: "the token does not have an expiry"
        case .expired: "the token has expired"
        case .notYetValid: "the token is not valid yet"
        case .issuedInFuture: "the token was issued in the future"
        case .wrongIssuer: "the token does not have a valid issuer"
        case .wrongAudience: "the token does not have a valid audience"
        case .wrongTokenUse: "the token does not have a valid token_use"
        }
    }
}
