import Synchronization

/// The connection-level metrics of one WebSocket API stage (labels `api_id`, `stage`), beside the per-route
/// request metrics every `$connect`, message and `$disconnect` also counts in (``RouteMetrics``). After API
/// Gateway's WebSocket CloudWatch metrics (`ConnectCount`, `MessageCount`, `IntegrationError`), plus what
/// CloudWatch has no metric for: the connections open now, and broadcast messages dropped for slow clients.
///
/// Held by the compiled stage and by each connection; every update is one relaxed atomic operation.
public final class WebSocketStageMetrics: Sendable {
    public let apiId: String
    public let stage: String

    private let connects = Atomic<Int>(0)
    private let messages = Atomic<Int>(0)
    private let integrationErrors = Atomic<Int>(0)
    private let open = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)

    init(apiId: String, stage: String) {
        self.apiId = apiId
        self.stage = stage
    }

    /// A connection was accepted (its handshake answered 101).
    public func connected() {
        connects.wrappingAdd(1, ordering: .relaxed)
        open.wrappingAdd(1, ordering: .relaxed)
    }

    /// An accepted connection ended, however it ended.
    public func disconnected() {
        open.wrappingSubtract(1, ordering: .relaxed)
    }

    /// A message arrived from a client (routed or not).
    public func messageReceived() {
        messages.wrappingAdd(1, ordering: .relaxed)
    }

    /// An integration call (`$connect`, a message's route, `$disconnect`) failed: an error, a timeout, an
    /// integration that cannot be used.
    public func integrationFailed() {
        integrationErrors.wrappingAdd(1, ordering: .relaxed)
    }

    /// Broadcast or group messages not queued for connections too far behind.
    public func droppedMessages(_ count: Int) {
        dropped.wrappingAdd(count, ordering: .relaxed)
    }

    struct Snapshot: Equatable {
        var connects: Int
        var messages: Int
        var integrationErrors: Int
        var open: Int
        var dropped: Int
    }

    func snapshot() -> Snapshot {
        Snapshot(
            connects: connects.load(ordering: .relaxed), messages: messages.load(ordering: .relaxed),
            integrationErrors: integrationErrors.load(ordering: .relaxed), open: open.load(ordering: .relaxed),
            dropped: dropped.load(ordering: .relaxed))
    }

    /// The exposition's families, in order: name, type, help, value.
    static let families: [(name: String, type: String, help: String, value: @Sendable (Snapshot) -> Int)] = [
        ("portico_websocket_connects_total", "counter", "WebSocket connections accepted, per API and stage (CloudWatch: ConnectCount).", { $0.connects }),
        ("portico_websocket_messages_total", "counter", "WebSocket messages received from clients (CloudWatch: MessageCount).", { $0.messages }),
        (
            "portico_websocket_integration_errors_total", "counter",
            "WebSocket integration calls that failed ($connect, routes, $disconnect) (CloudWatch: IntegrationError).", { $0.integrationErrors }
        ),
        ("portico_websocket_connections", "gauge", "WebSocket connections open now, per API and stage.", { $0.open }),
        (
            "portico_websocket_dropped_messages_total", "counter",
            "Broadcast and group messages dropped for connections too far behind (slow clients).", { $0.dropped }
        ),
    ]
}
