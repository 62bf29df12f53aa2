/// The JWS algorithms (RFC 7518 §3.1) Portico can verify. `none` and the HMAC family are
/// deliberately absent: a token naming them never finds an algorithm, so it can never pass, and an
/// HMAC token "signed" with a public key as its secret is refused before any key is looked at.
public enum JWTAlgorithm: String, Sendable, CaseIterable, Hashable {
    case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512"
    case ps256 = "PS256", ps384 = "PS384", ps512 = "PS512"
    case es256 = "ES256", es384 = "ES384"

    /// What AWS's HTTP API JWT authorizers accept ("Currently, only RSA-based algorithms are
    /// supported", developer guide, "Control access to HTTP APIs with JWT authorizers"), and what
    /// Cognito user pools sign with (RS256). ES256/ES384 are verified too, but only where a caller
    /// asks for them: AWS refuses them on these authorizers, and so does Portico.
    public static let rsaBased: Set<JWTAlgorithm> = [.rs256, .rs384, .rs512, .ps256, .ps384, .ps512]

    /// The JWK key type (`kty`) a key must have to verify this algorithm.
    var keyType: String {
        switch self {
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512: "RSA"
        case .es256, .es384: "EC"
        }
    }
}
