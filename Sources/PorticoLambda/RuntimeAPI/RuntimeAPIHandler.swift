import NIOCore
import NIOHTTP1

/// One connection from a function process to its Runtime API listener. Every call is handed to
/// the host together with the worker this listener belongs to.
final class RuntimeAPIHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let host: HostState
    private let worker: FunctionWorker
    private let maxBodyBytes: Int
    /// The calls on this connection not answered yet (at most a `/next` waiting for an event, and
    /// a call behind it), told when the connection goes away. Answered ones are dropped as soon as
    /// the next call arrives: a runtime makes two calls per invocation on one keep-alive
    /// connection, and keeping them (as this once did) made every call scan all earlier ones.
    private var responders: [RuntimeResponder] = []

    /// Calls held (for tests: stays at most 2 however many invocations a connection carries).
    var heldResponders: Int { responders.count }
    /// The request being read: its head, its body so far, and whether the body passed the limit
    /// (it is then dropped, not buffered: the call is refused as AWS refuses an oversized response).
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var tooLarge = false

    init(host: HostState, worker: FunctionWorker, maxBodyBytes: Int) {
        self.host = host
        self.worker = worker
        self.maxBodyBytes = maxBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
            tooLarge = false
        case .body(var chunk):
            guard !tooLarge else { return }
            if body.readableBytes + chunk.readableBytes > maxBodyBytes {
                tooLarge = true
                body.clear()
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let responder = RuntimeResponder(context: context, keepAlive: head.isKeepAlive)
            responders.removeAll { $0.isAnswered || $0.isClosed }
            responders.append(responder)
            host.runtimeCall(RuntimeCall(head: head, body: body, tooLarge: tooLarge), worker: worker, responder: responder)
            body = ByteBuffer()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        for responder in responders { responder.isClosed = true }
        responders.removeAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A malformed request from a function process: drop the connection, never Portico.
        context.close(promise: nil)
    }
}

/// A Runtime API call, routed (AWS_FACTS.md L1: base path `/2018-06-01`).
enum RuntimeCall {
    case next
    case response(requestId: String, body: ByteBuffer)
    case error(requestId: String, body: ByteBuffer, errorType: String?)
    case initError(body: ByteBuffer, errorType: String?)
    /// A `/response` or `/error` whose body is over the limit (AWS: 6,291,556 bytes).
    case tooLarge(requestId: String)
    case unknown(method: HTTPMethod, path: String)

    init(head: HTTPRequestHead, body: ByteBuffer, tooLarge: Bool) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        let errorType = head.headers.first(name: "Lambda-Runtime-Function-Error-Type")
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        if tooLarge, segments.count == 5, segments[2] == "invocation" {
            self = .tooLarge(requestId: String(segments[3]))
            return
        }
        switch (head.method, segments.count) {
        case (.GET, 4) where segments[0] == "2018-06-01" && segments[1] == "runtime" && segments[2] == "invocation" && segments[3] == "next":
            self = .next
        case (.POST, 4) where segments[0] == "2018-06-01" && segments[1] == "runtime" && segments[2] == "init" && segments[3] == "error":
            self = .initError(body: body, errorType: errorType)
        case (.POST, 5) where segments[0] == "2018-06-01" && segments[1] == "runtime" && segments[2] == "invocation" && segments[4] == "response":
            self = .response(requestId: String(segments[3]), body: body)
        case (.POST, 5) where segments[0] == "2018-06-01" && segments[1] == "runtime" && segments[2] == "invocation" && segments[4] == "error":
            self = .error(requestId: String(segments[3]), body: body, errorType: errorType)
        default:
            self = .unknown(method: head.method, path: path)
        }
    }
}
