import NIOCore
import PorticoJWT
import PorticoLambda
import PorticoRuntime

/// What one event loop's connections share: the current runtime table, the upstream pools and the
/// open connections. Touched only on its own loop, so nothing here needs a lock; a new table
/// arrives by a task scheduled on the loop.
final class LoopState {
    var table: RuntimeTable {
        didSet { tableGeneration &+= 1 }
    }
    /// Counts table swaps: what a connection resolved under one table is not reused under the next.
    private(set) var tableGeneration = 0
    let pool: UpstreamPool
    /// Client and backend flushes, put off to the end of the loop's batch of events.
    let flushes: FlushBatch
    let requestIds: RequestIdGenerator
    /// Runs the invocations of Lambda integrations (local function host, remote Invoke API).
    let lambda: any LambdaInvoking
    /// The JWT/Cognito issuers' keys, one store shared by every loop.
    let jwtKeys: JwtKeyStore
    /// JWT signatures already verified on this loop.
    let verifiedTokens: VerifiedTokenCache
    /// The account-level throttle: one bucket for the whole process, shared by every loop (nil when it is off).
    let accountThrottle: SharedTokenBucket?
    /// Every open WebSocket connection of the process (shared by all loops), for `@connections`.
    let webSockets: WebSocketDirectory
    var connections: [ObjectIdentifier: GatewayHandler] = [:]
    /// The access-log line buffer of this loop's WebSocket connections, reused line after line.
    var webSocketLogBuffer: [UInt8] = []
    /// Connections whose request waits on an integration deadline (removed lazily by the tick).
    var inFlight: [ObjectIdentifier: GatewayHandler] = [:]
    var draining = false
    private var tick: Scheduled<Void>?
    private var ticks = 0

    init(
        table: RuntimeTable, pool: UpstreamPool, lambda: any LambdaInvoking, jwtKeys: JwtKeyStore, accountThrottle: SharedTokenBucket? = nil,
        verifiedTokens: VerifiedTokenCache = VerifiedTokenCache(capacity: 0), webSockets: WebSocketDirectory = WebSocketDirectory()
    ) {
        self.accountThrottle = accountThrottle
        self.webSockets = webSockets
        self.jwtKeys = jwtKeys
        self.verifiedTokens = verifiedTokens
        self.table = table
        self.pool = pool
        self.flushes = pool.flushes
        self.lambda = lambda
        self.requestIds = RequestIdGenerator()
    }

    /// Integration timeouts and idle connections are checked by one timer per event loop, rather
    /// than by timers per request: scheduling and cancelling a task per request (with its promise)
    /// showed up at several percent of the proxy's CPU time. The tick runs every `tickInterval`
    /// while connections are open; it checks deadlines of the connections with a request in
    /// flight on every tick, and idleness of all connections on every `idleCheckEvery`-th tick. A timeout thus fires up to one tick late, an idle close up to a second late.
    static let tickInterval = TimeAmount.milliseconds(10)
    static let idleCheckEvery = 100

    func ensureTicking(on eventLoop: any EventLoop) {
        guard tick == nil else { return }
        tick = eventLoop.assumeIsolated().scheduleTask(in: Self.tickInterval) { [self] in
            self.tick = nil
            self.ticks &+= 1
            let now = NIODeadline.now()
            for (id, handler) in self.inFlight where !handler.checkDeadline(now: now) {
                self.inFlight[id] = nil
                handler.inFlightRegistered = false
            }
            if self.ticks % Self.idleCheckEvery == 0 {
                for handler in Array(self.connections.values) { handler.checkIdle(now: now) }
            }
            if !self.connections.isEmpty { self.ensureTicking(on: eventLoop) }
        }
    }
}
