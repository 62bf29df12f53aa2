import Synchronization
public import PorticoObservability

/// The open access-log writers, one per destination, shared by every stage that logs there and
/// kept across recompiles so a redeploy does not reopen files.
///
/// `destinationArn` is AWS's CloudWatch Logs log-group ARN. Portico has no CloudWatch, so
/// `arn:aws:logs:{region}:{account}:log-group:{name}` writes to `{logDirectory}/{name}.log`;
/// Portico also accepts `stdout` and `file:/absolute/path` (documented in docs/ACCESS_LOGS.md).
public final class AccessLogWriters: Sendable {
    let logDirectory: String
    let writers = Mutex<[AccessLogDestination: AccessLogWriter]>([:])

    public init(logDirectory: String) {
        self.logDirectory = logDirectory
    }

    public func writer(forDestinationArn arn: String) throws -> AccessLogWriter {
        let destination = Self.destination(forArn: arn, logDirectory: logDirectory)
        return try writers.withLock { writers in
            if let writer = writers[destination] { return writer }
            let writer = try AccessLogWriter(destination: destination)
            writers[destination] = writer
            return writer
        }
    }

    public func closeAll() {
        let all = writers.withLock { writers in
            defer { writers.removeAll() }
            return Array(writers.values)
        }
        for writer in all { writer.close() }
    }

    public static func destination(forArn arn: String, logDirectory: String) -> AccessLogDestination {
        if arn == "stdout" { return .standardOutput }
        if arn.hasPrefix("file:") {
            var path = String(arn.dropFirst("file:".count))
            while path.hasPrefix("//") { path.removeFirst() }
            return .file(path: path)
        }
        var name = "access"
        if let range = arn.split(separator: ":", omittingEmptySubsequences: false).firstIndex(of: "log-group") {
            let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
            if range + 1 < parts.count { name = String(parts[range + 1]) }
        }
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        return .file(path: logDirectory + "/" + (safe.isEmpty ? "access" : safe) + ".log")
    }
}

extension AccessLogWriters {
    /// A stage's access log from its settings (both members set), or nil; a destination that
    /// cannot be opened is a warning, not a failed compile. Shared by HTTP and REST API stages.
    func accessLog(destinationArn: String?, format: String?, stage: String, warnings: inout [String]) -> RuntimeStage.AccessLog? {
        guard let destinationArn, let format else { return nil }
        do {
            return RuntimeStage.AccessLog(format: AccessLogFormat(format), writer: try writer(forDestinationArn: destinationArn))
        } catch {
            warnings.append("stage \(stage): access log destination \(destinationArn) cannot be opened: \(error)")
            return nil
        }
    }
}
