import NIOCore
import PorticoRuntime
import Synchronization

/// Every open WebSocket connection of this process by connection id, so that an `@connections`
/// call arriving on any event loop finds the connection and hops to its loop; and, for Portico's
/// broadcast and groups (docs/WEBSOCKET_APIS.md, "Broadcast and groups"), the connections of each
/// stage and the named groups a backend put them in. The lock is taken once per connect,
/// disconnect and management call (`@connections`, `@broadcast`, `@groups`), never per message: a
/// broadcast copies the list it sends to under the lock and sends outside it.
final class WebSocketDirectory: Sendable {
    /// An API's stage: connections of one stage never see another's groups or broadcasts.
    struct StageKey: Hashable, Sendable {
        var apiId: String
        var stage: String
    }

    /// A group's name: 1–128 of `A-Z a-z 0-9 - _ . :` (Portico's rule, so that names stay plain in
    /// paths, IAM resource ARNs and logs).
    static func isValidGroupName(_ name: Substring) -> Bool {
        (1...128).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"):
                    true
                default: false
                }
            }
    }

    /// The groups one connection may belong to at once, so that a backend's mistake cannot grow the
    /// directory without bound.
    static let maxGroupsPerConnection = 100

    private struct Entry {
        var connection: NIOLoopBound<WebSocketConnection>
        var stage: StageKey
        var groups: Set<String> = []
    }

    private struct State {
        var connections: [String: Entry] = [:]
        /// Connection ids by stage, for broadcasts.
        var stages: [StageKey: Set<String>] = [:]
        /// Connection ids by stage and group; a group exists while it has members.
        var groups: [StageKey: [String: Set<String>]] = [:]
    }

    private let state = Mutex(State())
    /// The new-connection rate limit (``WebSocketLimits/newConnectionsPerSecond``): one bucket for the
    /// process, as AWS's quota is one per account and Region; nil when it is off.
    let connectThrottle: SharedTokenBucket?

    init(connectThrottle: SharedTokenBucket? = nil) {
        self.connectThrottle = connectThrottle
    }

    func add(_ connection: NIOLoopBound<WebSocketConnection>, id: String, apiId: String, stage: String) {
        let key = StageKey(apiId: apiId, stage: stage)
        state.withLock { state in
            state.connections[id] = Entry(connection: connection, stage: key)
            state.stages[key, default: []].insert(id)
        }
    }

    /// Forgets a closed connection, and takes it out of every group it was in.
    func remove(_ id: String) {
        state.withLock { state in
            guard let entry = state.connections.removeValue(forKey: id) else { return }
            if state.stages[entry.stage]?.remove(id) != nil, state.stages[entry.stage]?.isEmpty == true {
                state.stages[entry.stage] = nil
            }
            for group in entry.groups { Self.leave(&state, stage: entry.stage, group: group, id: id) }
        }
    }

    func find(_ id: String) -> NIOLoopBound<WebSocketConnection>? {
        state.withLock { $0.connections[id]?.connection }
    }

    var all: [NIOLoopBound<WebSocketConnection>] {
        state.withLock { $0.connections.values.map(\.connection) }
    }

    // MARK: broadcast and groups

    enum MembershipChange: Equatable {
        case done
        /// No such connection on this stage (closed, unknown, or another API's or stage's).
        case gone
        /// The connection is in ``WebSocketDirectory/maxGroupsPerConnection`` groups already.
        case tooManyGroups
    }

    /// Every connection of a stage, or of one of its groups.
    func members(of stage: StageKey, group: String? = nil) -> [NIOLoopBound<WebSocketConnection>] {
        state.withLock { state in
            let ids = group.map { state.groups[stage]?[$0] ?? [] } ?? state.stages[stage] ?? []
            return ids.compactMap { state.connections[$0]?.connection }
        }
    }

    /// The ids of a group's connections, sorted.
    func memberIds(of stage: StageKey, group: String) -> [String] {
        state.withLock { state in state.groups[stage]?[group] ?? [] }.sorted()
    }

    func join(_ id: String, group: String, stage: StageKey) -> MembershipChange {
        state.withLock { state in
            guard var entry = state.connections[id], entry.stage == stage else { return .gone }
            if entry.groups.contains(group) { return .done }
            guard entry.groups.count < Self.maxGroupsPerConnection else { return .tooManyGroups }
            entry.groups.insert(group)
            state.connections[id] = entry
            state.groups[stage, default: [:]][group, default: []].insert(id)
            return .done
        }
    }

    func leave(_ id: String, group: String, stage: StageKey) -> MembershipChange {
        state.withLock { state in
            guard var entry = state.connections[id], entry.stage == stage else { return .gone }
            guard entry.groups.remove(group) != nil else { return .done }
            state.connections[id] = entry
            Self.leave(&state, stage: stage, group: group, id: id)
            return .done
        }
    }

    private static func leave(_ state: inout State, stage: StageKey, group: String, id: String) {
        state.groups[stage]?[group]?.remove(id)
        if state.groups[stage]?[group]?.isEmpty == true { state.groups[stage]?[group] = nil }
        if state.groups[stage]?.isEmpty == true { state.groups[stage] = nil }
    }
}
