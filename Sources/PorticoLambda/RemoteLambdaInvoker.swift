import Foundation
public import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import PorticoAuth
import Synchronization

/// Runs invocations on a remote Lambda Invoke API (AWS itself, LocalStack, the Runtime Interface
/// Emulator, or any Invoke-compatible server) over HTTP/1.1 or HTTPS, signed with SigV4 (service
/// `lambda`) when credentials are configured.
///
/// `POST {endpoint}/2015-03-31/functions/{FunctionName}/invocations[?Qualifier=...]` with
/// `X-Amz-Invocation-Type`, `X-Amz-Log-Type` and `X-Amz-Client-Context` (AWS_FACTS L3).
///
/// Connections are kept alive and reused per event loop (an invocation runs on its caller's loop,
/// so a connection never changes thread), up to ``maxIdlePerLoop`` each, for at most
/// ``idleTimeout``: short enough that the endpoint rarely closes one under us. An invocation is
/// never retried on another connection (Invoke is not idempotent), so a connection the endpoint
/// closed just as it was taken fails that one invocation.
public final class RemoteLambdaInvoker: LambdaInvoking {
    public struct Configuration: Sendable {
        /// `http://host:port` or `https://host[:port]`, optionally with a base path.
        public var endpoint: String
        public var region: String
        /// Nil sends unsigned requests (the Runtime Interface Emulator has no auth).
        public var credentials: AWSCredentials?
        public var connectTimeout: TimeAmount
        /// PEM files of certificate authorities trusted for an https endpoint, besides the system's
        /// (the data plane's `--upstream-ca-file`).
        public var trustRootFiles: [String]
        /// A connection whose answer takes longer is closed and the invocation fails: Lambda's
        /// longest timeout (900 s) and some slack. Integrations give up sooner, on their own timeout.
        public var responseTimeout: TimeAmount

        public init(
            endpoint: String, region: String, credentials: AWSCredentials?, connectTimeout: TimeAmount = .seconds(10),
            trustRootFiles: [String] = [], responseTimeout: TimeAmount = .seconds(905)
        ) {
            self.responseTimeout = responseTimeout
            self.endpoint = endpoint
            self.region = region
            self.credentials = credentials
            self.connectTimeout = connectTimeout
            self.trustRootFiles = trustRootFiles
        }
    }

    public struct ConfigurationError: Error, CustomStringConvertible {
        public var description: String
    }

    private let host: String
    private let port: Int
    /// `Host` as sent and signed: the port only when it is not the scheme's default.
    private let hostHeader: String
    private let basePath: String
    private let tlsContext: NIOSSLContext?
    private let signer: SigV4Signer?
    private let connectTimeout: TimeAmount
    private let responseTimeout: TimeAmount
    /// Idle keep-alive connections by event loop, with when each went idle.
    private let idle = Mutex<[ObjectIdentifier: [(channel: any Channel, since: NIODeadline)]]>([:])
    static let maxIdlePerLoop = 16
    static let idleTimeout = TimeAmount.seconds(4)

    public init(configuration: Configuration) throws {
        guard let url = URL(string: configuration.endpoint), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host(percentEncoded: false), !host.isEmpty
        else {
            throw ConfigurationError(description: "the Lambda endpoint \(configuration.endpoint) is not an http:// or https:// URL")
        }
        let defaultPort = scheme == "https" ? 443 : 80
        self.host = host
        self.port = url.port ?? defaultPort
        let hostText = host.contains(":") ? "[\(host)]" : host.lowercased()
        self.hostHeader = port == defaultPort ? hostText : "\(hostText):\(port)"
        var path = url.path(percentEncoded: true)
        while path.hasSuffix("/") { path.removeLast() }
        self.basePath = path
        if scheme == "https" {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.additionalTrustRoots = configuration.trustRootFiles.map { .file($0) }
            tlsContext = try NIOSSLContext(configuration: tls)
        } else {
            tlsContext = nil
        }
        signer = configuration.credentials.map {
            SigV4Signer(
                accessKeyId: $0.accessKeyId, secretAccessKey: $0.secretAccessKey, sessionToken: $0.sessionToken, region: configuration.region,
                service: "lambda")
        }
        connectTimeout = configuration.connectTimeout
        responseTimeout = configuration.responseTimeout
    }

    public func invoke(_ invocation: LambdaInvocation, on eventLoop: any EventLoop) -> EventLoopFuture<LambdaInvocationOutcome> {
        let (head, body) = request(for: invocation, date: Date())
        let promise = eventLoop.makePromise(of: InvokeAnswer.self)
        if let channel = takeIdle(on: eventLoop) {
            Self.send(head, body, on: channel, promise, timeout: responseTimeout)
        } else {
            let timeout = responseTimeout
            connect(on: eventLoop).whenComplete { result in
                switch result {
                case .success(let channel): Self.send(head, body, on: channel, promise, timeout: timeout)
                case .failure(let error): promise.fail(error)
                }
            }
        }
        return promise.futureResult.map { Self.outcome($0) }
    }

    private func connect(on eventLoop: any EventLoop) -> EventLoopFuture<any Channel> {
        let tlsContext = self.tlsContext
        let serverName = host
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [weak self] channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        let isAddress = (try? SocketAddress(ipAddress: serverName, port: 0)) != nil
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tlsContext, serverHostname: isAddress ? nil : serverName))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(InvokeAnswerHandler { self?.release($0) })
                }
            }
            .connect(host: host, port: port)
    }

    /// Writes the request on `channel` (on its loop) and has its answer complete `promise`.
    private static func send(
        _ head: HTTPRequestHead, _ body: ByteBuffer, on channel: any Channel, _ promise: EventLoopPromise<InvokeAnswer>, timeout: TimeAmount
    ) {
        channel.eventLoop.execute {
            do {
                let handler = try channel.pipeline.syncOperations.handler(type: InvokeAnswerHandler.self)
                handler.begin(promise)
                // Closing fails the invocation through the handler (`channelInactive`).
                let timer = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
                promise.futureResult.whenComplete { _ in timer.cancel() }
            } catch {
                promise.fail(error)
                channel.close(promise: nil)
                return
            }
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil)
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
    }

    /// An idle connection of `eventLoop` that is still open and fresh; stale ones are closed.
    private func takeIdle(on eventLoop: any EventLoop) -> (any Channel)? {
        let now = NIODeadline.now()
        var stale: [any Channel] = []
        let found: (any Channel)? = idle.withLock { idle in
            let key = ObjectIdentifier(eventLoop)
            while let last = idle[key]?.popLast() {
                if last.channel.isActive, now - last.since < Self.idleTimeout { return last.channel }
                stale.append(last.channel)
            }
            return nil
        }
        for channel in stale { channel.close(promise: nil) }
        return found
    }

    /// Called (on the connection's loop) when an answer ended and the connection may carry more.
    private func release(_ channel: any Channel) {
        let kept = idle.withLock { idle in
            let key = ObjectIdentifier(channel.eventLoop)
            guard (idle[key]?.count ?? 0) < Self.maxIdlePerLoop else { return false }
            idle[key, default: []].append((channel, .now()))
            return true
        }
        if !kept { channel.close(promise: nil) }
    }

    /// The Invoke request for `invocation`, signed as of `date`.
    func request(for invocation: LambdaInvocation, date: Date) -> (HTTPRequestHead, ByteBuffer) {
        let path = basePath + "/2015-03-31/functions/" + Self.encode(invocation.functionName) + "/invocations"
        let query = invocation.qualifier.map { "Qualifier=" + Self.encode($0) } ?? ""
        var headers: [(String, String)] = [
            ("Content-Type", "application/json"),
            ("X-Amz-Invocation-Type", invocation.invocationType.rawValue),
        ]
        if invocation.tailLog { headers.append(("X-Amz-Log-Type", "Tail")) }
        if let clientContext = invocation.clientContext { headers.append(("X-Amz-Client-Context", clientContext)) }
        let body = Array(invocation.payload.readableBytesView)
        if let signer {
            headers += signer.sign(method: "POST", host: hostHeader, path: path, query: query, headers: headers, body: body, date: date)
        }
        var httpHeaders = HTTPHeaders()
        httpHeaders.add(name: "Host", value: hostHeader)
        for (name, value) in headers { httpHeaders.add(name: name, value: value) }
        // Unsigned, as botocore leaves them: the trace header and the user agent.
        if let traceId = invocation.traceId { httpHeaders.add(name: "X-Amzn-Trace-Id", value: traceId) }
        httpHeaders.add(name: "User-Agent", value: "Portico")
        httpHeaders.add(name: "Content-Length", value: String(body.count))
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: query.isEmpty ? path : path + "?" + query, headers: httpHeaders)
        return (head, invocation.payload)
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters (`:` in an ARN becomes
    /// `%3A`, as botocore sends a `FunctionName`).
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// The Invoke API's answer as an outcome (AWS_FACTS L3):
    /// - 2xx with `X-Amz-Function-Error`: the function failed; its error JSON is the payload.
    /// - 2xx whose body is an error object (`errorMessage` and `errorType`) without that header:
    ///   the Runtime Interface Emulator's way of reporting a function error; likewise its plain
    ///   `Task timed out after N seconds`. Both are read as `Unhandled` function errors.
    /// - anything else: the Lambda service refused, with `x-amzn-ErrorType` (`Type:detail` is cut
    ///   at the colon) or the body's `Type`/`__type`, and the body's `message`/`Message`.
    static func outcome(_ answer: InvokeAnswer) -> LambdaInvocationOutcome {
        let headers = answer.head.headers
        let status = Int(answer.head.status.code)
        let body = Array(answer.body.readableBytesView)
        if (200..<300).contains(status) {
            var functionError = headers.first(name: "x-amz-function-error")
            var payload = answer.body
            if functionError == nil {
                if Self.isErrorObject(body) {
                    functionError = "Unhandled"
                } else if let text = String(validating: body, as: UTF8.self), text.hasPrefix("Task timed out after") {
                    functionError = "Unhandled"
                    var json = ByteBuffer()
                    json.writeString("{\"errorMessage\":" + Self.quoted(text) + ",\"errorType\":\"Sandbox.Timedout\"}")
                    payload = json
                }
            }
            return .completed(
                LambdaInvocationResponse(
                    statusCode: status, payload: payload, functionError: functionError, logResult: headers.first(name: "x-amz-log-result"),
                    executedVersion: headers.first(name: "x-amz-executed-version") ?? "$LATEST",
                    requestId: headers.first(name: "x-amzn-requestid")))
        }
        var type = headers.first(name: "x-amzn-errortype").map { String($0.prefix { $0 != ":" }) }
        var message = ""
        if let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] {
            if type == nil { type = (object["Type"] as? String) ?? (object["__type"] as? String).map { String($0.split(separator: "#").last ?? "") } }
            message = (object["message"] as? String) ?? (object["Message"] as? String) ?? ""
        } else {
            message = String(decoding: body, as: UTF8.self)
        }
        return .rejected(LambdaServiceError(statusCode: status, type: type ?? "ServiceException", message: message))
    }

    /// `{"errorMessage": ..., "errorType": ..., ...}`: both members present, as Lambda's runtimes
    /// report an error.
    static func isErrorObject(_ body: [UInt8]) -> Bool {
        guard body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{"),
            let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        else { return false }
        return object["errorMessage"] != nil && object["errorType"] != nil
    }

    private static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])) ?? Data("[\"\"]".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}

/// The Invoke API's HTTP answer, whole.
struct InvokeAnswer: Sendable {
    var head: HTTPResponseHead
    var body: ByteBuffer
}

/// Collects each HTTP response on its connection: completes the invocation's promise, then hands
/// the connection back for reuse (or closes it when the endpoint does not keep it alive).
private final class InvokeAnswerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private var promise: EventLoopPromise<InvokeAnswer>?
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()
    private let onIdle: (any Channel) -> Void

    init(onIdle: @escaping (any Channel) -> Void) {
        self.onIdle = onIdle
    }

    /// A request is about to be written; its answer completes `promise`.
    func begin(_ promise: EventLoopPromise<InvokeAnswer>) {
        self.promise = promise
        head = nil
        body.clear()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body(var buffer):
            body.writeBuffer(&buffer)
        case .end:
            guard let head, let promise else {
                context.close(promise: nil)
                return
            }
            self.promise = nil
            promise.succeed(InvokeAnswer(head: head, body: body))
            body = ByteBuffer()
            let keepAlive = head.version == .http1_1 && !head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "close" }
            if keepAlive { onIdle(context.channel) } else { context.close(promise: nil) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise?.fail(ChannelError.eof)
        promise = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise?.fail(error)
        promise = nil
        context.close(promise: nil)
    }
}
