public import Foundation
public import PorticoAuth

/// How the local function host runs processes. Every value has a flag in `portico serve`.
public struct FunctionHostConfiguration: Sendable {
    /// The region in ARNs, `AWS_REGION` and AWS's "Function not found" messages.
    public var region: String = "us-east-1"
    /// The account id in function ARNs.
    public var accountId: String = "000000000000"
    /// How long a process with nothing to do stays warm before it is stopped
    /// (`--function-idle-seconds`). AWS keeps an idle execution environment for minutes.
    public var idleSeconds: Double = 300
    /// Processes per function when it has no reserved concurrency (`--function-concurrency`).
    public var defaultConcurrency: Int = 10
    /// The argv that runs a `python3.x` handler; the handler (`module.function`) is appended,
    /// as awslambdaric reads it from `argv[1]` (AWS_FACTS.md L2).
    public var pythonRuntimeCommand: [String] = ["python3", "-m", "awslambdaric"]
    /// Bytes of stdout/stderr kept per function (a ring: the oldest bytes go first).
    public var logBufferBytes: Int = 1 << 20
    /// How long a new process may take to ask for its first event, on top of the function's
    /// timeout. AWS gives the init phase 10 seconds.
    public var initTimeoutSeconds: Double = 10
    /// `Event` invocations waiting for a free process, per function; beyond it they are dropped
    /// (AWS queues them internally and retries; Portico has no durable queue).
    public var maxQueuedEvents: Int = 1000
    /// The largest body a process may post to the Runtime API. AWS's synchronous response limit is
    /// 6,291,556 bytes; a larger response fails with `Function.ResponseSizeTooLarge`.
    public var maxRuntimeBodyBytes: Int = 6_291_556
    /// How often the host compares each process's resident memory with its function's memory
    /// size, in milliseconds (`--function-memory-check-ms`); 0 turns enforcement off. AWS
    /// enforces the limit with a cgroup; Portico runs without root, so it samples `VmRSS` and
    /// kills a process over its size (the invocation fails with `Runtime.OutOfMemory`). A burst
    /// shorter than the interval can go unseen.
    public var memoryCheckMilliseconds: Int = 100
    /// Variables every process starts with, before the function's own and Lambda's.
    /// By default `PATH`, `LANG` and `LD_LIBRARY_PATH` from Portico's environment.
    public var baseEnvironment: [String: String] = FunctionHostConfiguration.inheritedEnvironment()
    /// Where temporary credentials for a function's `Role` are minted when its process starts (and
    /// revoked when it is gone), as Lambda gives an execution environment its role's credentials.
    /// nil: processes get no credentials.
    public var sessionCredentials: TemporaryCredentialRegistry?
    /// How long a process's credentials are valid (seconds). Lambda's role sessions last hours; a
    /// process is retired by its idle timeout long before in the usual case, and a warm one takes no
    /// invocation in its credentials' last five minutes (the next invocation starts a fresh process).
    public var sessionCredentialLifetime: TimeInterval = 12 * 3600

    public init() {}

    /// The few variables AWS's execution environment also defines (L1: `LANG`, `PATH`,
    /// `LD_LIBRARY_PATH`), taken from Portico's own environment so local tools resolve.
    public static func inheritedEnvironment() -> [String: String] {
        let environment = ProcessInfo.processInfo.environment
        var base: [String: String] = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "en_US.UTF-8", "TZ": ":UTC"]
        for name in ["PATH", "LANG", "LD_LIBRARY_PATH"] {
            if let value = environment[name], !value.isEmpty { base[name] = value }
        }
        return base
    }
}
