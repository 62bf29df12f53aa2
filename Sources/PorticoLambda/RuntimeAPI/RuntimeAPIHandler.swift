import NIOCore
import NIOHTTP1

/// One connection from a function process to its Runtime API listener. Every call is handed to
/// the host together with the worker this listener belongs to.
final class RuntimeAPIHandler: ChannelInboundHandler {
    typealias InboundIn = NIOHTTPServerRequestFull
    typealias OutboundOut = HTTPServerResponsePart

    private let host: HostState
    private let worker: FunctionWorker
    private var responders: [RuntimeResponder] = []

    init(host: HostState, worker: FunctionWorker) {
        self.host = host
        self.worker = worker
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let request = unwrapInboundIn(data)
        let responder = RuntimeResponder(context: context, keepAlive: request.head.isKeepAlive)
        responders.removeAll { $0.isClosed || !$0.isUsable }
        responders.append(responder)
        host.runtimeCall(RuntimeCall(request), worker: worker, responder: responder)
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
    case unknown(method: HTTPMethod, path: String)

    init(_ request: NIOHTTPServerRequestFull) {
        let path = request.head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        let body = request.body ?? ByteBuffer()
        let errorType = request.head.headers.first(name: "Lambda-Runtime-Function-Error-Type")
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        switch (request.head.method, segments.count) {
        case (.GET, 4) where segments[0] == "2018-06-01" && segments[1] == "runtime" && segments[2] == "invocation" && segments[3] == "next":
            self = .next
        case (.POST, 4) where segments[0] == "2018-06-01" && segments[1] == "runtime" && segments[2] == "init" && segments[3] == "error":
            self = .initError(body: body, errorType: errorType)
        case (.POST, 5) where segments[0] == "2018-06-01" && segments[1] == "runtime" && segments[2] == "invocation" && segments[4] == "response":
            self = .response(requestId: String(segments[3]), body: body)
        case (.POST, 5) where segments[0] == "2018-06-01" && segments[1] == "runtime" && segments[2] == "invocation" && segments[4] == "error":
            self = .error(requestId: String(segments[3]), body: body, errorType: errorType)
        default:
            self = .unknown(method: request.head.method, path: path)
        }
    }
}
