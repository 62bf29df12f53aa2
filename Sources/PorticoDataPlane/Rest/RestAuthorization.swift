import PorticoModel
import PorticoRuntime

/// A Lambda authorizer's Allow for one request: the policy (possibly from the cache) and how long
/// the call took, for `$context.authorizer` and the proxy event's `requestContext.authorizer`.
struct RestAuthorization {
    let policy: AuthorizerPolicy
    let latencyMillis: Int64
    /// A Cognito user pool authorizer's verified claims (then `policy` is an empty stand-in).
    var claims: JwtClaims? = nil

    /// The `context` values as strings, keys sorted: REST passes them on as strings.
    var stringContext: [(String, String)] {
        policy.context.sorted { $0.key < $1.key }.compactMap { entry -> (String, String)? in
            let key = entry.key
            return switch entry.value {
            case .string(let text): (key, text)
            case .integer(let number): (key, String(number))
            case .number(let number): (key, String(number))
            case .bool(let flag): (key, String(flag))
            default: nil
            }
        }
    }

    var eventAuthorizer: LambdaProxyRequest.Authorizer {
        .init(principalId: policy.principalId, values: stringContext, latencyMillis: latencyMillis, claims: claims?.textClaims)
    }
}
