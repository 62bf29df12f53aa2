import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One function process and its own Runtime API listener (so every `/next`, `/response` and
/// `/error` is attributed to exactly this process). Confined to the host's event loop.
final class FunctionWorker {
    enum Phase {
        /// Launched, has not asked for an event yet.
        case starting
        /// Has polled `/next` at least once.
        case ready
        /// Being stopped (idle, retired, timed out, failed init, removed): takes no more work.
        case stopping
        case exited
    }

    let id: Int
    let function: HostedFunction
    let revision: String
    let launchedAt = NIODeadline.now()
    var phase: Phase = .starting
    var pid: pid_t = 0
    /// The temporary credentials' key id the process was given (its role's), revoked when it is gone.
    var sessionAccessKeyId: String?
    /// When those credentials expire: the process takes no invocation in their last minutes (a new one,
    /// with fresh credentials, does), so a long-lived warm process never signs with expired ones.
    var credentialsExpireAt: NIODeadline?
    var listener: (any Channel)?
    /// The pipe channel reading the process's stdout and stderr.
    var output: (any Channel)?
    /// The invocation given to this process, from assignment until its answer is recorded.
    var current: RunningInvocation?
    /// A `/next` call waiting for an event (the runtime long-polls).
    var parkedNext: RuntimeResponder?
    var idleTimer: Scheduled<Void>?
    /// Set when the function's revision changed during an invocation: stop after it.
    var retireAfterInvocation = false
    /// The body of `/runtime/init/error`, when the runtime posted one.
    var initError: ByteBuffer?
    /// Killed by the memory watch: an unanswered invocation fails with `Runtime.OutOfMemory`.
    var outOfMemory = false
    /// From launch to the first `/next` (the REPORT line's `Init Duration`).
    var initDuration: TimeAmount?

    init(id: Int, function: HostedFunction) {
        self.id = id
        self.function = function
        self.revision = function.configuration.revision
    }

    var functionName: String { function.configuration.name }

    /// Can take an invocation now (it will be delivered on the process's next `/next`).
    var isFree: Bool {
        current == nil && !retireAfterInvocation && (phase == .ready || phase == .starting) && initError == nil && !credentialsExpiring
    }

    /// Its credentials expire within five minutes (an invocation may last 15).
    var credentialsExpiring: Bool {
        guard let credentialsExpireAt else { return false }
        return credentialsExpireAt - .minutes(5) <= .now()
    }
}
