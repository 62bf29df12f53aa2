import NIOCore

/// Receives a backend's events for the exchange currently using the connection. Every callback
/// names the connection, so a handler can tell a stray event from a connection it has let go.
protocol UpstreamDelegate: AnyObject {
    func upstreamReceived(_ event: BackendResponseParser.Event, from connection: UpstreamConnection)
    /// A batch of reads ended: the time to flush what was forwarded.
    func upstreamReadComplete(from connection: UpstreamConnection)
    /// The connection can take more (or no more) of the request body.
    func upstreamWritabilityChanged(from connection: UpstreamConnection)
    /// The connection failed or closed before the exchange finished.
    func upstreamFailed(_ error: any Error, from connection: UpstreamConnection)
}

/// One keep-alive connection to a backend, owned by one event loop's ``UpstreamPool``. It speaks
/// HTTP/1.1 itself: requests go out as bytes the gateway prepared, responses are parsed by
/// ``BackendResponseParser``.
final class UpstreamConnection: ChannelInboundHandler, RemovableChannelHandler, BatchFlushable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let key: UpstreamPool.Key
    private(set) var channel: (any Channel)?
    private var context: ChannelHandlerContext?
    /// The handler whose exchange uses this connection. Strong, and cleared whenever the exchange lets
    /// go of the connection (``UpstreamPool/release(_:)``, ``close()``, a failure): a `weak` reference
    /// gives the handler a side table, which sends every retain and release of it down the slow path.
    var delegate: (any UpstreamDelegate)?
    /// When the connection went back to the pool; the pool's sweep closes it after the idle timeout.
    var idleSince: NIODeadline?
    var isReused = false
    /// The pool's loop's ``FlushBatch``, set when the pool made the connection.
    var flushes: FlushBatch?
    var flushQueued = false
    private(set) var isClosed = false
    /// Whether the response now being read allows the connection to be reused.
    private(set) var responseKeepAlive = true
    private var parser: BackendResponseParser
    /// Received bytes the parser has not consumed yet (a partial head or chunk line).
    private var received: ByteBuffer?
    private var outbound: OutboundBytes
    /// The request body goes out with chunked framing (the client's did, and it was decoded).
    private var chunkedRequest = false

    init(key: UpstreamPool.Key, maxResponseHeadBytes: Int) {
        self.key = key
        self.parser = BackendResponseParser(maxHeadBytes: maxResponseHeadBytes)
        self.outbound = OutboundBytes(allocator: ByteBufferAllocator())
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.channel = context.channel
        self.outbound = OutboundBytes(allocator: context.channel.allocator)
    }

    var isWritable: Bool { channel?.isWritable ?? false }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        if received == nil || received!.readableBytes == 0 {
            received = bytes
        } else {
            var bytes = bytes
            received!.writeBuffer(&bytes)
        }
        while !isClosed {
            let event: BackendResponseParser.Event?
            do {
                event = try parser.next(&received!)
            } catch {
                fail(error)
                close()
                return
            }
            guard let event else { break }
            deliver(event)
        }
        // Let go of a fully consumed read buffer so that NIO's pooled allocator can reuse it.
        if received?.readableBytes == 0 { received = nil }
    }

    private func deliver(_ event: BackendResponseParser.Event) {
        if case .head(let head) = event {
            responseKeepAlive = head.keepAlive
        }
        if let delegate {
            delegate.upstreamReceived(event, from: self)
        } else {
            // Nobody is waiting: a backend speaking out of turn on an idle connection.
            close()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        delegate?.upstreamReadComplete(from: self)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        delegate?.upstreamWritabilityChanged(from: self)
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        // A body delimited by the close ends here; anything else was cut short.
        if delegate != nil, let end = parser.endOfInput() {
            deliver(end)
        }
        fail(UpstreamError.connectionClosed)
        context.fireChannelInactive()
    }

    private func fail(_ error: any Error) {
        if let delegate {
            self.delegate = nil
            delegate.upstreamFailed(error, from: self)
        }
    }

    // MARK: outbound

    /// Starts a request: `head` holds its request line and headers, already encoded.
    func beginRequest(head: ByteBuffer, isHead: Bool, chunked: Bool) {
        parser.expectingHeadResponse = isHead
        chunkedRequest = chunked
        outbound.append { $0.writeImmutableBuffer(head) }
    }

    /// A part of the request body (unflushed).
    func writeBody(_ buffer: ByteBuffer) {
        outbound.appendBody(buffer, chunked: chunkedRequest) {
            context?.write(wrapOutboundOut($0), promise: nil)
            unflushed = true
        }
    }

    /// Something was written to the channel and not flushed yet.
    private var unflushed = false

    /// The end of the request: the last chunk if chunked, then everything goes out.
    func writeEnd() {
        if chunkedRequest {
            outbound.append { $0.writeLastChunk() }
        }
        flush()
    }

    /// Flushes at the end of the loop's batch of events (at once for a connection not made by a pool).
    func flush() {
        guard context != nil else { return }
        if let flushes {
            flushes.enqueue(self)
        } else {
            flushNow()
        }
    }

    func flushNow() {
        guard let context else { return }
        if let pending = outbound.take() {
            context.writeAndFlush(wrapOutboundOut(pending), promise: nil)
        } else if unflushed {
            context.flush()
        } else {
            // Nothing to send: the client's read batch ended after the request was already out
            // (the usual case), and a flush through the pipeline would only cost time.
            return
        }
        unflushed = false
    }

    private var autoRead = true

    /// Turns reading from the backend on or off, touching the channel only on a change (setting an
    /// option costs a dynamic cast, and through `setOption` a future).
    func setAutoRead(_ on: Bool) {
        guard on != autoRead, let channel else { return }
        autoRead = on
        try? channel.syncOptions?.setOption(ChannelOptions.autoRead, value: on)
    }

    func close() {
        isClosed = true
        delegate = nil
        context?.close(promise: nil)
    }
}

enum UpstreamError: Error, CustomStringConvertible {
    case connectionClosed
    case tlsUnavailable

    var description: String {
        switch self {
        case .connectionClosed: "the backend closed the connection before it answered"
        case .tlsUnavailable: "https backends are unavailable: the TLS configuration could not be loaded"
        }
    }
}
