import NIOCore
import PorticoRuntime

/// What one event loop's connections share: the current runtime table, the upstream pools and the
/// open connections. Touched only on its own loop, so nothing here needs a lock; a new table
/// arrives by a task scheduled on the loop.
final class LoopState {
    var table: RuntimeTable
    let pool: UpstreamPool
    let requestIds: RequestIdGenerator
    var connections: [ObjectIdentifier: GatewayHandler] = [:]
    var draining = false
    private var tick: Scheduled<Void>?

    /// Integration timeouts are checked by one timer per event loop that ticks every
    /// `tickInterval` while requests are in flight, rather than by a timer per request: scheduling
    /// and cancelling a task per request (with its promise) showed up at several percent of the
    /// proxy's CPU time. A timeout thus fires up to one tick late.
    static let tickInterval = TimeAmount.milliseconds(10)

    func ensureTicking(on eventLoop: any EventLoop) {
        guard tick == nil else { return }
        tick = eventLoop.assumeIsolated().scheduleTask(in: Self.tickInterval) { [self] in
            self.tick = nil
            let now = NIODeadline.now()
            var waiting = false
            for handler in Array(self.connections.values) where handler.checkDeadline(now: now) {
                waiting = true
            }
            if waiting { self.ensureTicking(on: eventLoop) }
        }
    }

    init(table: RuntimeTable, pool: UpstreamPool) {
        self.table = table
        self.pool = pool
        self.requestIds = RequestIdGenerator()
    }
}
