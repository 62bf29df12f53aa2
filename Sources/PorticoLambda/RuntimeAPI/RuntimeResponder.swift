import NIOCore
import NIOHTTP1

/// Answers one Runtime API call, now or later (a `/next` waits until there is an event).
/// Confined to the host's event loop, like the connection it writes to.
final class RuntimeResponder {
    private let context: ChannelHandlerContext
    private let keepAlive: Bool
    /// Set by the handler when the connection goes away; a late answer is then dropped.
    var isClosed = false
    /// The response has been written: the handler forgets this responder.
    private(set) var isAnswered = false

    init(context: ChannelHandlerContext, keepAlive: Bool) {
        self.context = context
        self.keepAlive = keepAlive
    }

    var isUsable: Bool { !isClosed && context.channel.isActive }

    /// Writes a whole response. Every answer carries a `Content-Type`: awslambdaric's native
    /// client crashes (SIGSEGV) on a `/next` reply without one (AWS_FACTS.md L2).
    func send(_ status: HTTPResponseStatus, headers extra: [(String, String)] = [], contentType: String = "application/json", body: ByteBuffer) {
        guard isUsable, !isAnswered else { return }
        isAnswered = true
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        for (name, value) in extra { headers.add(name: name, value: value) }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: status, headers: headers)
        context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
        if body.readableBytes > 0 {
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(body))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).assumeIsolated().whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }

    /// RAPID's acknowledgement of `/response`, `/error` and `/init/error`: 202 `{"status":"OK"}`.
    /// `/init/error` must get exactly 202, or awslambdaric raises (L2).
    func accepted() {
        send(.accepted, body: ByteBuffer(string: #"{"status":"OK"}"#))
    }

    /// A refusal in the Runtime API's error shape.
    func error(_ status: HTTPResponseStatus, type: String, message: String) {
        send(status, body: LambdaMessages.errorPayload(type: type, message: message))
    }
}
