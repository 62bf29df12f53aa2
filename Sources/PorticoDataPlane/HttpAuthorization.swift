import PorticoModel
import PorticoRuntime

/// An HTTP API route waiting for its Lambda authorizer (the body is being buffered).
struct DeferredAuthorization {
    var match: Router<RuntimeRoute>.Match
    var integration: RuntimeIntegration
    var query: Substring
}

/// What an HTTP API Lambda authorizer allowed, passed on in the integration's event:
/// payload 2.0 `requestContext.authorizer.lambda` holds the `context`; payload 1.0
/// `requestContext.authorizer` holds `principalId` (IAM answers), the context values and
/// `integrationLatency`, as REST APIs do.
struct HttpAuthorization {
    var principalId: String?
    var context: [String: JSONValue]
    var latencyMillis: Int64
    /// A JWT authorizer's verified claims and the token's scopes (not a Lambda authorizer's).
    var jwt: JwtClaims? = nil

    /// The context's members in a stable order, as the event writers emit them.
    var sortedContext: [(key: String, value: JSONValue)] {
        context.sorted { $0.key < $1.key }
    }
}

/// What a JWT (or Cognito) authorizer passes on: the token's claims, and its scopes (nil when it
/// has none, as AWS's events show `scopes: null`).
struct JwtClaims {
    var claims: [String: JSONValue]
    var scopes: [String]?

    /// The claims in a stable order, each as the text AWS passes on: HTTP API events and
    /// `$context.authorizer.claims.*` carry every claim as a string (numbers as their digits, a
    /// list as `[a b]`, as AWS's Go implementation prints it; an object as its JSON, a guess).
    var textClaims: [(key: String, value: String)] {
        claims.sorted { $0.key < $1.key }.map { ($0.key, Self.text($0.value)) }
    }

    func claim(_ name: String) -> String? { claims[name].map(Self.text) }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .array(let values): "[" + values.map(Self.text).joined(separator: " ") + "]"
        case .null: ""
        default: value.jsonText
        }
    }
}
