import PorticoModel
import PorticoObservability

/// The checks `CreateStage` and `UpdateStage` apply to `accessLogSettings`.
enum AccessLogValidation {
    /// Validates a stage's access-log settings.
    ///
    /// Mirrors AWS: both members are required together, and the format must log a request id
    /// (`$context.requestId` or `$context.extendedRequestId`) so that log lines can be correlated
    /// (checked by `AccessLogFormat.validate`). The destination is a CloudWatch Logs ARN as on
    /// AWS, or one of Portico's local destinations: `stdout`, or `file:/absolute/path`.
    static func validate(_ settings: AccessLogSettings) throws(APIError) {
        guard let destination = settings.destinationArn, !destination.isEmpty else {
            throw .badRequest("Access log destination ARN must be specified when access log settings are set.")
        }
        guard let format = settings.format, !format.isEmpty else {
            throw .badRequest("Access log format must be specified when access log settings are set.")
        }
        try validateDestination(destination)
        // The observability module owns the format language: size, single line, known
        // `$context` variables, and a request id as AWS requires.
        // `webSocket: true` lets WebSocket variables through here; `StageOperations.validate(_:in:)`
        // refuses them on HTTP API stages once the API is known.
        if let problem = AccessLogFormat.validate(format, webSocket: true) {
            throw .badRequest(problem)
        }
    }

    /// A CloudWatch Logs log-group ARN (`arn:aws:logs:region:account:log-group:name`), `stdout`, or
    /// `file:` followed by an absolute path.
    static func validateDestination(_ destination: String) throws(APIError) {
        if destination == "stdout" { return }
        if destination.hasPrefix("file:") {
            let path = destination.dropFirst("file:".count)
            guard path.hasPrefix("/"), path.count > 1 else {
                throw .badRequest("Invalid access log destination '\(destination)': a file destination must be file:/absolute/path.")
            }
            return
        }
        let parts = destination.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "logs", !parts[3].isEmpty,
            !parts[4].isEmpty, parts[5].hasPrefix("log-group:"), parts[5].count > "log-group:".count
        else {
            throw .badRequest(
                "Invalid access log destination ARN '\(destination)': expected arn:aws:logs:{region}:{account}:log-group:{name}, stdout or file:/absolute/path."
            )
        }
    }
}
