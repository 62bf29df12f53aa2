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

    public init() {}
}
