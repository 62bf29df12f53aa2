import NIOCore
import NIOHTTP1

/// Receives a backend's events for the exchange currently using the connection. Every callback
/// names the connection, so a handler can tell a stray event from a connection it has let go.
protocol UpstreamDelegate: AnyObject {
    func upstreamReceived(_ part: HTTPClientResponsePart, from connection: UpstreamConnection)
    /// A batch of reads ended: the time to flush what was forwarded.
    func upstreamReadComplete(from connection: UpstreamConnection)
    /// The connection can take more (or no more) of the request body.
    func upstreamWritabilityChanged(from connection: UpstreamConnection)
    /// The connection failed or closed before the exchange finished.
    func upstreamFailed(_ error: any Error, from connection: UpstreamConnection)
}

/// One keep-alive connection to a backend, owned by one event loop's ``UpstreamPool``.
final class UpstreamConnection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    let key: UpstreamPool.Key
    private(set) var channel: (any Channel)?
    private var context: ChannelHandlerContext?
    weak var delegate: (any UpstreamDelegate)?
    /// When the connection went back to the pool; the pool's sweep closes it after the idle timeout.
    var idleSince: NIODeadline?
    var isReused = false
    private(set) var isClosed = false
    /// Whether the response now being read allows the connection to be reused.
    private(set) var responseKeepAlive = true

    init(key: UpstreamPool.Key) {
        self.key = key
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.channel = context.channel
    }

    var isWritable: Bool { channel?.isWritable ?? false }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .head(let head) = part {
            responseKeepAlive = head.isKeepAlive
        }
        if let delegate {
            delegate.upstreamReceived(part, from: self)
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
        fail(UpstreamError.connectionClosed)
        context.fireChannelInactive()
    }

    private func fail(_ error: any Error) {
        if let delegate {
            self.delegate = nil
            delegate.upstreamFailed(error, from: self)
        }
    }

    func write(_ part: HTTPClientRequestPart, flush: Bool) {
        guard let context else { return }
        if flush {
            context.writeAndFlush(wrapOutboundOut(part), promise: nil)
        } else {
            context.write(wrapOutboundOut(part), promise: nil)
        }
    }

    func flush() { context?.flush() }

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
