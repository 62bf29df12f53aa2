/// Where an ``AccessLogWriter`` puts its lines. Portico's stand-in for a stage's CloudWatch Logs
/// `destinationArn`; `Hashable` so that stages sharing a destination can share one writer.
public enum AccessLogDestination: Sendable, Hashable {
    /// The process's standard output (file descriptor 1), for container log collectors.
    case standardOutput
    /// A file, created if missing (mode 0644) and always appended to.
    case file(path: String)
}
