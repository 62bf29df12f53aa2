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

    init(table: RuntimeTable, pool: UpstreamPool) {
        self.table = table
        self.pool = pool
        self.requestIds = RequestIdGenerator()
    }
}
