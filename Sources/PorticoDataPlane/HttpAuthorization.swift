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

    /// The context's members in a stable order, as the event writers emit them.
    var sortedContext: [(key: String, value: JSONValue)] {
        context.sorted { $0.key < $1.key }
    }
}
