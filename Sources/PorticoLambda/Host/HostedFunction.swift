/// A function the host knows: its configuration, its processes, and the `Event` invocations
/// waiting for one of them. Confined to the host's event loop.
final class HostedFunction {
    var configuration: FunctionConfiguration
    var workers: [FunctionWorker] = []
    var queuedEvents: [RunningInvocation] = []

    init(configuration: FunctionConfiguration) {
        self.configuration = configuration
    }

    /// Invocations in flight, counting those whose process is still starting (AWS counts an
    /// execution environment being initialised toward concurrency too).
    var activeInvocations: Int {
        workers.reduce(0) { $0 + ($1.current == nil ? 0 : 1) }
    }

    /// Whether the limit is the function's reserved concurrency (rather than the host's default);
    /// AWS's throttle reason differs.
    var hasReservedConcurrency: Bool { configuration.reservedConcurrency != nil }

    func concurrencyLimit(default defaultLimit: Int) -> Int {
        configuration.reservedConcurrency ?? defaultLimit
    }

    /// A warm process of the current revision with nothing to do, preferring one that is already
    /// waiting in `/next`, then the most recently used (so extra processes go idle and are stopped).
    func freeWorker() -> FunctionWorker? {
        let free = workers.filter { $0.isFree && $0.revision == configuration.revision }
        return free.last(where: { $0.parkedNext != nil }) ?? free.last
    }
}
