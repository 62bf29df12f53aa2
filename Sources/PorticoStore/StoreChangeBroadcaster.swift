import Foundation
import Synchronization

/// Hands every committed ``StoreChange`` to each open ``Store/changes()`` stream.
///
/// Shared by the store implementations: they call ``yield(_:)`` once per committed transaction,
/// in commit order.
package final class StoreChangeBroadcaster: Sendable {
    private let continuations = Mutex<[UUID: AsyncStream<StoreChange>.Continuation]>([:])

    package init() {}

    /// A new stream of everything yielded from now on.
    package func stream() -> AsyncStream<StoreChange> {
        let (stream, continuation) = AsyncStream.makeStream(of: StoreChange.self, bufferingPolicy: .unbounded)
        let id = UUID()
        continuation.onTermination = { [weak self] _ in
            _ = self?.continuations.withLock { $0.removeValue(forKey: id) }
        }
        continuations.withLock { $0[id] = continuation }
        return stream
    }

    package func yield(_ change: StoreChange) {
        let targets = continuations.withLock { Array($0.values) }
        for continuation in targets {
            continuation.yield(change)
        }
    }

    /// Ends every open stream (the store is going away).
    package func finishAll() {
        let targets = continuations.withLock { all in
            defer { all.removeAll() }
            return Array(all.values)
        }
        for continuation in targets {
            continuation.finish()
        }
    }
}
