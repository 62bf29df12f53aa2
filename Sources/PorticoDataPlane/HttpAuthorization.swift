import NIOCore
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

    /// The event with `requestContext.authorizer` set. Re-encodes the event: only requests to
    /// routes with an authorizer pay for it.
    func inject(into payload: ByteBuffer, version: LambdaPayloadVersion) -> ByteBuffer {
        guard case .object(var event)? = JSONParser.parse(Array(payload.readableBytesView)),
            case .object(var requestContext)? = event["requestContext"]
        else {
            return payload
        }
        switch version {
        case .v2:
            requestContext["authorizer"] = .object(["lambda": .object(context)])
        case .v1:
            var members = context
            if let principalId { members["principalId"] = .string(principalId) }
            members["integrationLatency"] = .integer(latencyMillis)
            requestContext["authorizer"] = .object(members)
        }
        event["requestContext"] = .object(requestContext)
        return ByteBuffer(string: JSONValue.object(event).jsonText)
    }
}
