import Logging
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoObservability
import PorticoRuntime

/// The data plane's per-connection handler: resolves each request to an API, stage and route,
/// proxies it to the integration over a pooled upstream connection on the same event loop, and
/// streams the response back.
///
/// Pipelining is handled here rather than by NIO's pipelining handler, which stops reading while
/// a response is outstanding and so costs two `epoll_ctl` calls per request. This handler keeps
/// reading; parts of a pipelined next request wait in `queued`, and reading pauses only when that
/// queue grows past 64 KB.
final class GatewayHandler: ChannelDuplexHandler, UpstreamDelegate {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let state: LoopState
    let configuration: DataPlaneConfiguration
    let logger: Logger
    var context: ChannelHandlerContext?
    var exchange: Exchange?
    var queued = CircularBuffer<HTTPServerRequestPart>()
    /// Roughly how much `queued` holds (a head counts as 512 bytes), to bound pipelining.
    var queuedBytes = 0
    var readPending = false
    var closeAfterResponse = false
    var closeScheduled = false
    var clientAddress = "-"
    /// The listener's port as text, for `X-Forwarded-Port` (made once per connection).
    var listenerPort = "0"
    var exchangeCounter = 0
    /// Since when the connection has had no request in flight; the loop's tick closes it after
    /// the idle timeout.
    var idleSince: NIODeadline? = .now()
    var logBuffer: [UInt8] = []
    /// Whether the client connection can take more (kept from writability changes, so that the
    /// hot path does not ask the channel).
    var clientWritable = true
    /// Whether `state.inFlight` holds this handler (the tick removes it once it has no deadline).
    var inFlightRegistered = false
    /// What goes to the client next (response heads and small bodies), in one reused buffer.
    var outbound = OutboundBytes(allocator: ByteBufferAllocator())
    /// The upstream request head of the current exchange, encoded once (and again only if a stale
    /// pooled connection makes the exchange retry); reused from exchange to exchange.
    var upstreamHead = ByteBuffer()

    init(state: LoopState, configuration: DataPlaneConfiguration, logger: Logger) {
        self.state = state
        self.configuration = configuration
        self.logger = logger
    }

    // MARK: connection life

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        outbound = OutboundBytes(allocator: context.channel.allocator)
        clientAddress = context.channel.remoteAddress?.ipAddress ?? "-"
        listenerPort = String(context.channel.localAddress?.port ?? 0)
        state.connections[ObjectIdentifier(self)] = self
        idleSince = .now()
        state.ensureTicking(on: context.eventLoop)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        state.connections[ObjectIdentifier(self)] = nil
        state.inFlight[ObjectIdentifier(self)] = nil
        inFlightRegistered = false
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let exchange {
            abandon(exchange)
        }
        state.connections[ObjectIdentifier(self)] = nil
        context.fireChannelInactive()
    }

    /// Graceful shutdown: close now if idle, else after the current response.
    func quiesce() {
        if exchange == nil {
            context?.close(promise: nil)
        } else {
            closeAfterResponse = true
        }
    }

    /// Called by the loop's tick: times out the exchange whose deadline has passed.
    /// Returns whether the exchange still waits on its deadline.
    func checkDeadline(now: NIODeadline) -> Bool {
        guard let exchange, let deadline = exchange.deadline else { return false }
        if now >= deadline {
            exchange.deadline = nil
            integrationTimedOut(exchange)
            return false
        }
        return true
    }

    func checkIdle(now: NIODeadline) {
        if exchange == nil, let idleSince, now - idleSince >= .seconds(configuration.idleTimeoutSeconds) {
            self.idleSince = nil
            context?.close(promise: nil)
        }
    }

    func forceClose() {
        context?.close(promise: nil)
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if !queued.isEmpty || (exchange?.requestEnded ?? false) {
            queued.append(part)
            if case .body(let buffer) = part { queuedBytes += buffer.readableBytes } else { queuedBytes += 512 }
            return
        }
        process(part)
    }

    func process(_ part: HTTPServerRequestPart) {
        switch part {
        case .head(let head):
            startExchange(head)
        case .body(let buffer):
            guard let exchange else { return }
            receiveBody(buffer, exchange)
        case .end:
            guard let exchange else { return }
            receiveEnd(exchange)
        }
    }

    func read(context: ChannelHandlerContext) {
        // Reads continue while a response is outstanding: holding them back would make NIO drop
        // and re-add read interest (two epoll_ctl calls per request). Pipelined requests are rare
        // and wait in `queued`; reading pauses only when that queue or an unsent body grows large.
        if queuedBytes > Self.maxQueuedBytes || (exchange.map { !$0.requestEnded && !canTakeMoreBody($0) } ?? false) {
            readPending = true
        } else {
            context.read()
        }
    }

    /// Back-pressure for request bodies: stop reading from the client while the backend
    /// connection cannot take more, or while too much waits for it to open.
    func canTakeMoreBody(_ exchange: Exchange) -> Bool {
        if let upstream = exchange.upstream { return upstream.isWritable }
        return exchange.pendingBodyBytes < Self.maxPendingBodyBytes
    }

    static let maxPendingBodyBytes = 64 * 1024
    static let maxQueuedBytes = 64 * 1024

    /// Resumes reading from the client if reads were held back and may go on now.
    func resumeReadingIfPossible() {
        guard readPending, let context else { return }
        if queuedBytes > Self.maxQueuedBytes { return }
        if let exchange, !exchange.requestEnded, !canTakeMoreBody(exchange) { return }
        readPending = false
        context.read()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Body parts go upstream unflushed; one flush per batch of reads saves a syscall per part.
        exchange?.upstream?.flush()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parserError = error as? HTTPParserError {
            // Malformed or oversized HTTP: answer once, then close (the stream cannot be trusted).
            if exchange == nil || !(exchange?.responseHeadSent ?? true) {
                let response: GatewayResponse = Self.isHeaderOverflow(parserError) ? .headersTooLarge : .badRequest
                let (head, body) = response.head(requestId: nil, keepAlive: false)
                outbound.append { buffer in
                    ResponseHeaders.write(head, chunked: false, into: &buffer)
                    if let body { buffer.writeImmutableBuffer(body) }
                }
                flushClient(thenClose: true)
                if let exchange { abandon(exchange) }
                exchange = nil
                return
            }
        }
        context.close(promise: nil)
    }

    static func isHeaderOverflow(_ error: HTTPParserError) -> Bool {
        if case .headerOverflow = error { return true }
        return false
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // Back-pressure: a slow client stops reads from its backend until it catches up.
        clientWritable = context.channel.isWritable
        exchange?.upstream?.setAutoRead(clientWritable)
        context.fireChannelWritabilityChanged()
    }
}
