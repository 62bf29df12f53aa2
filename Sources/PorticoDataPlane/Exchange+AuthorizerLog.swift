import NIOCore
import PorticoModel
import PorticoObservability

/// `$context.authorizer.*` for the access log (AWS's "Variables for access logging"): filled in as
/// a Lambda authorizer step runs, HTTP or REST, and copied into the record when the exchange ends.
///
/// - `status`: 200 when the authorizer allowed the request, else the status it was stopped with
///   (401, 403, 500); `error`: why it was stopped, in Portico's words;
/// - `latency`: the whole authorizer step (a cached answer takes ~0 ms); `integrationLatency` and
///   `integrationStatus`: the function's invocation, absent when the cache answered or no
///   function was called; `requestId`: that invocation's Lambda request id;
/// - `principalId` and the `context` values (as strings, as REST passes them) once allowed.
extension Exchange {
    func authorizerStarted() {
        authorizerStart = .now()
        authorizerLog = AccessLogRecord.Authorizer()
    }

    /// The authorizer function answered (or was refused); nil status when the call timed out or failed.
    func authorizerInvoked(latencyNanos: Int64, status: Int?, requestId: String? = nil) {
        authorizerLog?.integrationLatencyMillis = Int(latencyNanos / 1_000_000)
        authorizerLog?.integrationStatus = status
        authorizerLog?.requestId = requestId
    }

    func authorizerEnded(status: Int, error: String? = nil, principalId: String? = nil, context: [String: JSONValue] = [:]) {
        guard authorizerLog != nil else { return }
        authorizerLog?.status = status
        authorizerLog?.error = error
        authorizerLog?.principalId = principalId
        if let start = authorizerStart { authorizerLog?.latencyMillis = Int((NIODeadline.now() - start).nanoseconds / 1_000_000) }
        guard !context.isEmpty else { return }
        var strings: [String: String] = [:]
        for (key, value) in context {
            switch value {
            case .string(let text): strings[key] = text
            case .integer(let number): strings[key] = String(number)
            case .number(let number): strings[key] = String(number)
            case .bool(let flag): strings[key] = String(flag)
            default: continue
            }
        }
        authorizerLog?.context = strings
    }
}
