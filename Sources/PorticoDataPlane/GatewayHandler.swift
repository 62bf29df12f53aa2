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
/// Requests are parsed here from the bytes read (``ClientRequestParser``). Pipelining is handled
/// here too rather than by NIO's pipelining handler, which stops reading while a response is
/// outstanding and so costs two `epoll_ctl` calls per request. This handler keeps reading; the
/// bytes of a pipelined next request wait in `inbound`, unparsed, and reading pauses only when
/// they grow past 64 KB.
final class GatewayHandler: ChannelDuplexHandler, UpstreamDelegate, BatchFlushable {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let state: LoopState
    let configuration: DataPlaneConfiguration
    /// What each REST request's pipeline reads of `configuration`, made once per connection.
    let restSettings: RestPipeline.Settings
    let logger: Logger
    var context: ChannelHandlerContext?
    var exchange: Exchange?
    /// Bytes read from the client and not parsed yet: the rest of a read, or a pipelined request
    /// waiting for the one before it to be answered.
    var inbound = ByteBuffer()
    /// An empty buffer of this connection's, which `inbound` points at between reads.
    let noBytes = ByteBuffer()
    var parser: ClientRequestParser
    var parsing = false
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
    /// The last host-style address resolved on this connection (``resolveApi(host:path:)``).
    var hostMemo: HostMemo?
    /// The access-log record of the last request, reused by the next (`record`).
    var spareLogRecord: AccessLogRecord?
    /// Whether the client connection can take more (kept from writability changes, so that the
    /// hot path does not ask the channel).
    var clientWritable = true
    /// Whether `state.inFlight` holds this handler (the tick removes it once it has no deadline).
    var inFlightRegistered = false
    /// What goes to the client next (response heads and small bodies), in one reused buffer.
    var outbound = OutboundBytes(allocator: ByteBufferAllocator())
    /// A large body part went to the channel without a flush (`writeClientBody`).
    var clientUnflushed = false
    /// Queued in the loop's ``FlushBatch``.
    var flushQueued = false
    /// The upstream request head of the current exchange, encoded once (and again only if a stale
    /// pooled connection makes the exchange retry); reused from exchange to exchange.
    var upstreamHead = ByteBuffer()

    init(state: LoopState, configuration: DataPlaneConfiguration, logger: Logger) {
        self.state = state
        self.configuration = configuration
        self.restSettings = RestPipeline.Settings(configuration)
        self.logger = logger
        parser = ClientRequestParser(maxHeadBytes: configuration.maxHeaderBytes)
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
        // A flush put off to the end of the batch would find no context.
        if flushQueued { flushClientNow() }
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
            closeClient()
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
            closeClient()
        }
    }

    func forceClose() {
        closeClient()
    }

    /// Closes the client connection, after writing out a flush that was put off to the end of the batch
    /// (``FlushBatch``): closing fails writes that are not flushed.
    func closeClient() {
        if flushQueued { flushClientNow() }
        context?.close(promise: nil)
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if inbound.readableBytes == 0 {
            // The usual case: the previous read was parsed to its end, so this buffer is taken
            // as it is (body slices then share its storage, with no copy).
            inbound = bytes
        } else {
            inbound.writeBuffer(&bytes)
        }
        parseInbound()
    }

    /// Parses and handles request parts while the connection can take them: any time no request
    /// is being read or the current one's body is still arriving. A complete request waits (as
    /// bytes) until the exchange before it has finished.
    func parseInbound() {
        // Finishing an exchange inside `process` asks to parse again: the loop below carries on
        // instead, so that a run of pipelined requests answered at once does not recurse.
        guard !parsing else { return }
        parsing = true
        defer { parsing = false }
        while context != nil, !(exchange?.requestEnded ?? false) {
            let part: HTTPServerRequestPart?
            do {
                part = try parser.next(&inbound)
            } catch {
                rejectMalformed(error)
                return
            }
            guard let part else { break }
            process(part)
        }
        if inbound.readableBytes == 0, inbound.capacity > 0 {
            // Let go of a fully parsed read: NIO reuses its receive buffer for the next read only
            // when nobody else holds it (else it allocates a new one per read), and a large
            // buffer (a big upload's last read) is not kept for an idle connection.
            inbound = noBytes
        }
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
        // and wait in `inbound`; reading pauses only when those bytes or an unsent body grow large.
        if inbound.readableBytes > Self.maxQueuedBytes || (exchange.map { !$0.requestEnded && !canTakeMoreBody($0) } ?? false) {
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
        if inbound.readableBytes > Self.maxQueuedBytes { return }
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
        context.close(promise: nil)
    }

    /// Malformed or oversized HTTP from the client: answered once (400, or 431 for a head over
    /// the limit), then the connection is closed, since the stream cannot be trusted.
    func rejectMalformed(_ failure: ClientRequestParser.Failure) {
        inbound = noBytes
        guard context != nil else { return }
        if exchange == nil || !(exchange?.responseHeadSent ?? true) {
            let response: GatewayResponse = failure == .headTooLarge ? .headersTooLarge : .badRequest
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
        closeClient()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // Back-pressure: a slow client stops reads from its backend until it catches up.
        clientWritable = context.channel.isWritable
        exchange?.upstream?.setAutoRead(clientWritable)
        context.fireChannelWritabilityChanged()
    }
}

/// Which kind of API a request addresses.
enum ResolvedApi {
    case http(RuntimeApi)
    case rest(RestRuntimeApi)
    case none
}

/// A `Host` header and the API it resolved to under one runtime table (``LoopState/tableGeneration``).
struct HostMemo {
    let host: String
    let generation: Int
    /// The length in bytes of the host name without its port: the request's domain name.
    let hostNameLength: Int
    let api: ResolvedApi
}
