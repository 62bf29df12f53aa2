import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import PorticoModel

/// Fetches an issuer's OpenID discovery document and key set: one `GET` per connection, HTTP/1.1,
/// TLS with the data plane's client trust (the system's roots plus `--upstream-ca-file`), no
/// redirects, at most ``maxBodyBytes``, within ``timeout`` (AWS's quota for JWKS and OIDC
/// discovery fetches is 1,500 ms). Runs off the request path: requests never wait on it except for
/// an issuer's first fetch, or a bounded refresh for an unknown `kid`.
struct JwksFetcher: Sendable {
    static let timeout = TimeAmount.milliseconds(1_500)
    static let maxBodyBytes = 1 << 20

    struct FetchError: Error, CustomStringConvertible {
        var description: String
    }

    let group: any EventLoopGroup
    let tlsContext: NIOSSLContext?

    /// The bytes of a `200` answer to `GET url`.
    func get(_ url: String, on loop: any EventLoop) -> EventLoopFuture<[UInt8]> {
        guard let (scheme, host, port, path) = JwtIssuer.split(url), scheme == "https" || JwtIssuer.isLoopback(host) else {
            return loop.makeFailedFuture(FetchError(description: "\(url) is not an https URL (or http on loopback)"))
        }
        let tls = scheme == "https"
        if tls, tlsContext == nil { return loop.makeFailedFuture(FetchError(description: "TLS is not available")) }
        let promise = loop.makePromise(of: [UInt8].self)
        let connectHost = host == "localhost" ? "127.0.0.1" : host
        let hostHeader = port.map { "\(host.contains(":") ? "[\(host)]" : host):\($0)" } ?? host
        let tlsContext = self.tlsContext
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(Self.timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if tls, let tlsContext {
                        try sync.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: host.first?.isNumber == true ? nil : host))
                    }
                    try sync.addHTTPClientHandlers()
                    try sync.addHandler(ResponseCollector(promise: promise))
                }
            }
        let timeout = loop.scheduleTask(in: Self.timeout) {
            promise.fail(FetchError(description: "\(url) did not answer within \(Self.timeout.nanoseconds / 1_000_000) ms"))
        }
        bootstrap.connect(host: connectHost, port: port ?? (tls ? 443 : 80)).whenComplete { result in
            switch result {
            case .failure(let error):
                promise.fail(FetchError(description: "\(url): \(error)"))
            case .success(let channel):
                promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path.isEmpty ? "/" : path)
                head.headers.add(name: "host", value: hostHeader)
                head.headers.add(name: "accept", value: "application/json")
                head.headers.add(name: "user-agent", value: "portico-jwks")
                head.headers.add(name: "connection", value: "close")
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            }
        }
        promise.futureResult.whenComplete { _ in timeout.cancel() }
        return promise.futureResult
    }
}

/// Collects one response; anything but a `200` within the size cap fails the promise.
private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    let promise: EventLoopPromise<[UInt8]>
    var status: HTTPResponseStatus = .ok
    var body: [UInt8] = []
    var done = false

    init(promise: EventLoopPromise<[UInt8]>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status
        case .body(let buffer):
            if body.count + buffer.readableBytes > JwksFetcher.maxBodyBytes {
                finish(.failure(JwksFetcher.FetchError(description: "the answer is larger than \(JwksFetcher.maxBodyBytes) bytes")), context)
                return
            }
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            if status == .ok {
                finish(.success(body), context)
            } else {
                finish(.failure(JwksFetcher.FetchError(description: "the answer was \(status.code)")), context)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(JwksFetcher.FetchError(description: "the connection closed before the answer ended")), context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(JwksFetcher.FetchError(description: "\(error)")), context)
    }

    private func finish(_ result: Result<[UInt8], any Error>, _ context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        promise.completeWith(result)
        context.close(promise: nil)
    }
}
