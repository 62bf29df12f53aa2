import NIOCore
import Synchronization

/// Every open WebSocket connection of this process by connection id, so that an `@connections`
/// call arriving on any event loop finds the connection and hops to its loop. The lock is taken
/// once per connect, disconnect and `@connections` call, never per message.
final class WebSocketDirectory: Sendable {
    private let entries = Mutex<[String: NIOLoopBound<WebSocketConnection>]>([:])

    func add(_ connection: NIOLoopBound<WebSocketConnection>, id: String) {
        entries.withLock { $0[id] = connection }
    }

    func remove(_ id: String) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }

    func find(_ id: String) -> NIOLoopBound<WebSocketConnection>? {
        entries.withLock { $0[id] }
    }

    var all: [NIOLoopBound<WebSocketConnection>] {
        entries.withLock { Array($0.values) }
    }
}
