import Foundation
import Logging
import NIOCore

/// Everything the function host knows, confined to its one event loop: the functions, their
/// processes and the invocations in flight. Listener and pipe handlers run on the same loop, so
/// no lock is needed and none is held across I/O; other threads reach it with `loop.execute`.
final class HostState {
    let loop: any EventLoop
    let configuration: FunctionHostConfiguration
    let logs: FunctionLogs
    let logger: Logger
    var functions: [String: HostedFunction] = [:]
    /// Every process not yet reaped, by worker id (exit reports arrive from other threads with only the id).
    var workers: [Int: FunctionWorker] = [:]
    var nextWorkerId = 1
    var isShutDown = false
    /// Completed when the last process has exited after `shutdown()`.
    var drained: EventLoopPromise<Void>?
    /// Compares processes' resident memory with their memory size (`checkMemory`).
    var memoryWatch: RepeatedTask?

    init(loop: any EventLoop, configuration: FunctionHostConfiguration, logs: FunctionLogs, logger: Logger) {
        self.loop = loop
        self.configuration = configuration
        self.logs = logs
        self.logger = logger
    }

    // MARK: - Functions

    func upsert(_ configuration: FunctionConfiguration) {
        guard !isShutDown else { return }
        guard let function = functions[configuration.name] else {
            functions[configuration.name] = HostedFunction(configuration: configuration)
            return
        }
        let revisionChanged = function.configuration.revision != configuration.revision
        function.configuration = configuration
        guard revisionChanged else { return }
        // New code or configuration: idle processes go now, busy ones after their invocation.
        for worker in function.workers {
            if worker.current == nil {
                stop(worker, reason: "revision changed")
            } else {
                worker.retireAfterInvocation = true
            }
        }
    }

    func remove(functionName: String) {
        guard let function = functions.removeValue(forKey: functionName) else { return }
        for running in function.queuedEvents {
            logs.append(line: "Portico: dropped queued event \(running.requestId): the function was deleted", to: functionName)
        }
        function.queuedEvents.removeAll()
        // In-flight invocations end as the process dies (Runtime.ExitError, signal: killed).
        for worker in function.workers { stop(worker, reason: "function removed") }
        logs.remove(functionName)
    }

    // MARK: - Invoke

    func invoke(_ invocation: LambdaInvocation, promise: EventLoopPromise<LambdaInvocationOutcome>) {
        guard !isShutDown else {
            promise.succeed(.rejected(Self.stopping))
            return
        }
        let function: HostedFunction
        let invokedArn: String
        switch resolve(invocation) {
        case .failure(let error):
            promise.succeed(.rejected(error))
            return
        case .success(let resolved):
            (function, invokedArn) = resolved
        }
        let version = function.configuration.version
        switch invocation.invocationType {
        case .dryRun:
            // DryRun: "validate parameter values and verify that the user or role has permission".
            promise.succeed(.completed(LambdaInvocationResponse(statusCode: 204, payload: ByteBuffer(), executedVersion: version)))
        case .event:
            // Event: accepted at once (202); Lambda queues the event and runs it in the background.
            promise.succeed(.completed(LambdaInvocationResponse(statusCode: 202, payload: ByteBuffer(), executedVersion: version)))
            let running = makeRunning(invocation, invokedArn: invokedArn, promise: nil)
            if !dispatch(running, to: function) { enqueue(running, on: function) }
        case .requestResponse:
            let running = makeRunning(invocation, invokedArn: invokedArn, promise: promise)
            if !dispatch(running, to: function) {
                promise.succeed(.rejected(LambdaMessages.throttled(reserved: function.hasReservedConcurrency)))
            }
        }
    }

    /// Finds the function a `FunctionName` (+ `Qualifier`) names (AWS_FACTS.md L3). The host runs
    /// one version per function, so a qualifier must be `$LATEST` or that version.
    func resolve(_ invocation: LambdaInvocation) -> Result<(HostedFunction, String), LambdaServiceError> {
        let region = configuration.region
        let account = configuration.accountId
        guard var reference = FunctionReference(parsing: invocation.functionName) else {
            let arn = "arn:aws:lambda:\(region):\(account):function:\(invocation.functionName)"
            return .failure(LambdaMessages.functionNotFound(arn: arn))
        }
        if let qualifier = invocation.qualifier, !qualifier.isEmpty {
            if let derived = reference.qualifier, derived != qualifier { return .failure(LambdaMessages.qualifierMismatch()) }
            reference.qualifier = qualifier
        }
        let notFound = LambdaMessages.functionNotFound(arn: reference.arn(region: region, accountId: account))
        guard let function = functions[reference.name],
            reference.region.map({ $0 == region }) ?? true,
            reference.accountId.map({ $0 == account }) ?? true
        else { return .failure(notFound) }
        if let qualifier = reference.qualifier, qualifier != "$LATEST", qualifier != function.configuration.version {
            return .failure(notFound)
        }
        let arn = reference.qualifier.map { function.configuration.arn + ":" + $0 } ?? function.configuration.arn
        return .success((function, arn))
    }

    func makeRunning(_ invocation: LambdaInvocation, invokedArn: String, promise: EventLoopPromise<LambdaInvocationOutcome>?) -> RunningInvocation {
        RunningInvocation(
            requestId: UUID().uuidString.lowercased(), invocation: invocation, promise: promise, invokedArn: invokedArn,
            traceId: invocation.traceId ?? Self.makeTraceId())
    }

    /// Gives the invocation to a warm process, or starts one if the function is under its
    /// concurrency limit. False when the limit is reached (the caller throttles or queues).
    func dispatch(_ running: RunningInvocation, to function: HostedFunction) -> Bool {
        for worker in function.workers where worker.current == nil && worker.credentialsExpiring {
            // Its role's credentials are about to expire: a fresh process gets new ones.
            stop(worker, reason: "its credentials expire")
        }
        if let worker = function.freeWorker() {
            assign(running, to: worker)
            return true
        }
        guard function.activeInvocations < function.concurrencyLimit(default: configuration.defaultConcurrency) else { return false }
        startWorker(for: function, with: running)
        return true
    }

    /// An `Event` invocation that found every process busy waits for one, within bounds.
    func enqueue(_ running: RunningInvocation, on function: HostedFunction) {
        let name = function.configuration.name
        if function.concurrencyLimit(default: configuration.defaultConcurrency) == 0 || function.queuedEvents.count >= configuration.maxQueuedEvents {
            logs.append(line: "Portico: dropped event \(running.requestId): the function is throttled (Rate Exceeded.)", to: name)
            logger.warning("dropped an Event invocation: the function is throttled", metadata: ["function": "\(name)"])
            return
        }
        function.queuedEvents.append(running)
    }

    /// Runs queued events while the function has room.
    func dispatchQueued(_ function: HostedFunction) {
        while let next = function.queuedEvents.first, functions[function.configuration.name] === function {
            guard dispatch(next, to: function) else { return }
            function.queuedEvents.removeFirst()
        }
    }

    /// `Root=1-{epoch hex}-{96 random bits};Parent={64 bits};Sampled=0`, the X-Ray header shape
    /// the runtime copies into `_X_AMZN_TRACE_ID`.
    static func makeTraceId() -> String {
        func hex(_ count: Int) -> String {
            String((0..<count).map { _ in "0123456789abcdef".randomElement()! })
        }
        let epoch = String(UInt32(Date().timeIntervalSince1970), radix: 16)
        return "Root=1-\(epoch)-\(hex(24));Parent=\(hex(16));Sampled=0"
    }

    // MARK: - Shutdown

    /// What invocations get while Portico stops (AWS's 5xx `ServiceException` shape).
    static let stopping = LambdaServiceError(statusCode: 503, type: "ServiceException", message: "Portico's function host is shutting down.")

    /// Kills every process; what was in flight is refused, queued events dropped. The future
    /// completes when every process has been reaped (or after a few seconds regardless).
    func shutdown() -> EventLoopFuture<Void> {
        isShutDown = true
        memoryWatch?.cancel()
        memoryWatch = nil
        let refusal = Self.stopping
        for function in functions.values {
            function.queuedEvents.removeAll()
        }
        for worker in workers.values {
            if let running = worker.current, !running.completed {
                running.completed = true
                running.timeout?.cancel()
                running.promise?.succeed(.rejected(refusal))
            }
            worker.current = nil
            stop(worker, reason: "Portico is stopping")
        }
        functions.removeAll()
        guard !workers.isEmpty else { return loop.makeSucceededVoidFuture() }
        let drained = loop.makePromise(of: Void.self)
        self.drained = drained
        loop.assumeIsolated().scheduleTask(in: .seconds(3)) {
            // Processes that could not be reaped in time (stuck in the kernel) are not waited for.
            guard let drained = self.drained else { return }
            self.drained = nil
            drained.succeed()
        }
        return drained.futureResult
    }
}
