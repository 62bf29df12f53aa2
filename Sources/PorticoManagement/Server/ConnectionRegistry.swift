import NIOCore
import Synchronization

/// The open management connections and whether each is in the middle of a request, so that a
/// shutdown can close the idle ones at once and let the busy ones finish their response.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        var channel: any Channel
        var busy: Bool
    }

    private struct State {
        var nextId = 0
        var entries: [Int: Entry] = [:]
        var shuttingDown = false
    }

    private let state = Mutex(State())

    /// Records a new connection; `nil` when the server is already shutting down.
    func register(_ channel: any Channel) -> Int? {
        state.withLock { state in
            guard !state.shuttingDown else { return nil }
            let id = state.nextId
            state.nextId += 1
            state.entries[id] = Entry(channel: channel, busy: false)
            return id
        }
    }

    func unregister(_ id: Int) {
        _ = state.withLock { $0.entries.removeValue(forKey: id) }
    }

    func markBusy(_ id: Int) {
        state.withLock { $0.entries[id]?.busy = true }
    }

    /// Marks the connection as waiting for its next request; `false` if it should close instead.
    func markIdle(_ id: Int) -> Bool {
        state.withLock { state in
            state.entries[id]?.busy = false
            return !state.shuttingDown
        }
    }

    var isShuttingDown: Bool {
        state.withLock { $0.shuttingDown }
    }

    /// Refuses new connections and closes the idle ones.
    func beginShutdown() {
        let idle = state.withLock { state in
            state.shuttingDown = true
            return state.entries.values.filter { !$0.busy }.map(\.channel)
        }
        for channel in idle {
            channel.close(promise: nil)
        }
    }

    /// Closes every connection, busy or not (the grace period is over).
    func closeAll() {
        let all = state.withLock { $0.entries.values.map(\.channel) }
        for channel in all {
            channel.close(promise: nil)
        }
    }
}
