public import Logging
public import NIOCore
import NIOPosix
import Synchronization

/// The local function host: runs functions as local processes speaking the Lambda Runtime API
/// (AWS_FACTS.md L1, L2), so a function built for AWS runs unchanged.
///
/// Processes start on demand, one invocation at a time each, and scale out to the function's
/// reserved concurrency (or ``FunctionHostConfiguration/defaultConcurrency``); beyond it Invoke is
/// refused with 429 as AWS refuses it. Each process has its own Runtime API listener on an
/// ephemeral loopback port, stays warm for the idle time, and is killed with its whole process
/// group on a timeout. All state lives on one event loop; answers complete on the caller's loop.
/// Given a group, the host takes one of its loops: Portico gives it the data plane's, so that
/// invocations from connections on that loop need no thread hop either way.
public final class FunctionHost: FunctionHosting, LambdaFunctionLookup {
    public let configuration: FunctionHostConfiguration
    private let loop: any EventLoop
    private let ownedGroup: MultiThreadedEventLoopGroup?
    private let state: NIOLoopBoundBox<HostState>
    private let logs: FunctionLogs
    private let isShutDown = Atomic<Bool>(false)
    /// The names of the functions upserted, readable from any thread (``hasFunction(named:)``
    /// answers where an invocation goes before it is sent to the host's loop).
    private let names = Mutex<Set<String>>([])

    /// - Parameters:
    ///   - group: where the host's loop comes from; nil gives the host a one-thread group of its
    ///     own (shut down by ``shutdown()``).
    public init(configuration: FunctionHostConfiguration, group: (any EventLoopGroup)? = nil, logger: Logger) {
        self.configuration = configuration
        let owned = group == nil ? MultiThreadedEventLoopGroup(numberOfThreads: 1) : nil
        self.ownedGroup = owned
        let loop = (group ?? owned!).next()
        self.loop = loop
        let logs = FunctionLogs(capacity: configuration.logBufferBytes)
        self.logs = logs
        self.state = NIOLoopBoundBox.makeBoxSendingValue(
            HostState(loop: loop, configuration: configuration, logs: logs, logger: logger), eventLoop: loop)
    }

    public func invoke(_ invocation: LambdaInvocation, on eventLoop: any EventLoop) -> EventLoopFuture<LambdaInvocationOutcome> {
        // After shutdown the host's loop may be gone: answer here rather than never.
        guard !isShutDown.load(ordering: .relaxed) else { return eventLoop.makeSucceededFuture(.rejected(HostState.stopping)) }
        let promise = eventLoop.makePromise(of: LambdaInvocationOutcome.self)
        let state = self.state
        if loop.inEventLoop {
            // The caller shares the host's loop (Portico runs the host on a data-plane loop): no hop.
            state.value.invoke(invocation, promise: promise)
        } else {
            loop.execute { state.value.invoke(invocation, promise: promise) }
        }
        return promise.futureResult
    }

    public func hasFunction(named name: String) -> Bool {
        names.withLock { $0.contains(name) }
    }

    public func upsert(_ function: FunctionConfiguration) {
        guard !isShutDown.load(ordering: .relaxed) else { return }
        _ = names.withLock { $0.insert(function.name) }
        let state = self.state
        loop.execute { state.value.upsert(function) }
    }

    public func remove(functionName: String) {
        guard !isShutDown.load(ordering: .relaxed) else { return }
        _ = names.withLock { $0.remove(functionName) }
        let state = self.state
        loop.execute { state.value.remove(functionName: functionName) }
    }

    public func recentLog(functionName: String, maxBytes: Int) -> String {
        String(decoding: logs.recent(functionName, maxBytes: maxBytes), as: UTF8.self)
    }

    /// The ARN of a function called `name` in the host's region and account.
    public func functionArn(_ name: String) -> String {
        "arn:aws:lambda:\(configuration.region):\(configuration.accountId):function:\(name)"
    }

    /// Kills every function process (and what they started), refuses what was in flight, and
    /// stops the host's own event loop if it has one. Call when Portico stops.
    public func shutdown() async {
        // Once only: the host's own loop is gone after the first call.
        guard !isShutDown.exchange(true, ordering: .relaxed) else { return }
        let state = self.state
        try? await loop.flatSubmit { state.value.shutdown() }.get()
        try? await ownedGroup?.shutdownGracefully()
    }
}
