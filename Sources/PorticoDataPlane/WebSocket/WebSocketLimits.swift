import PorticoRuntime

/// Limits of WebSocket connections, AWS's quotas by default ("Amazon API Gateway quotas for
/// configuring and running a WebSocket API"), each configurable (`--websocket-*`).
public struct WebSocketLimits: Sendable {
    /// A frame larger than this closes the connection with 1009 (AWS: 32 KB).
    public var maxFrameBytes: Int = 32 * 1024
    /// A message (all frames of a fragmented message) larger than this closes it with 1009 (AWS: 128 KB).
    public var maxMessageBytes: Int = 128 * 1024
    /// A connection with no message either way for this long is closed (AWS: 10 minutes).
    public var idleTimeoutSeconds: Int64 = 600
    /// A connection is closed after this long whatever it does (AWS: 2 hours).
    public var maxConnectionSeconds: Int64 = 7_200
    /// Bytes queued for a client that does not read before Portico stops reading from it, and
    /// four times that before it closes the connection (1008): a slow client cannot make the
    /// gateway buffer without bound.
    public var maxOutboundBufferBytes: Int = 1024 * 1024
    /// New connections per second the whole process accepts, across every WebSocket API (AWS: "New
    /// connections per second per account (across all WebSocket APIs) per Region: 500"); a token bucket whose
    /// burst is the rate rounded up (at least 1). A handshake over it is refused with 429. nil: no limit.
    public var newConnectionsPerSecond: Double? = 500

    /// The bucket of ``newConnectionsPerSecond``, shared by every event loop.
    var newConnectionLimit: ThrottleLimit? {
        newConnectionsPerSecond.map { ThrottleLimit(rate: $0, burst: max(1, Int($0.rounded(.up)))) }
    }

    public init() {}
}
