import NIOCore
import NIOHTTP1

/// A REST API response, complete: REST integrations buffer both ways, so the gateway writes it
/// in one go with a `content-length`.
///
/// A class: a response is handed through several continuations (integration, cache, compression,
/// the handler), and as a struct every hand-over copied (retained and later released) each of its
/// arrays, strings and the forwarded head. Each response is made for one request and edited only on
/// its way out.
final class RestResponse {
    var status: Int
    /// The response's headers: after the forwarded backend's, when there is one.
    var headers: [(String, String)]
    var body: [UInt8]
    /// The gateway response type, when the gateway answered itself (for the access log).
    var errorType: String?
    var errorMessage: String?
    /// An `HTTP_PROXY` backend's head, whose headers (less hop-by-hop ones) go to the client
    /// before `headers`. Kept as the bytes received so that the usual proxied response is written
    /// without a `String` per header; ``materializeForwardedHeaders()`` turns them into `headers`
    /// for the rare steps that edit the list (compression, the stage cache).
    var forwarded: BackendResponseHead?

    init(
        status: Int, headers: [(String, String)], body: [UInt8], errorType: String? = nil, errorMessage: String? = nil,
        forwarded: BackendResponseHead? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.errorType = errorType
        self.errorMessage = errorMessage
        self.forwarded = forwarded
    }

    /// Whether a forwarded backend header goes to the client: not hop-by-hop (nor named in the
    /// backend's `Connection`), and not a framing header, since the gateway sets the length itself.
    static func forwards(_ name: UnsafeRawBufferPointer, connectionTokens: [String]) -> Bool {
        switch HeaderName.classify(name) {
        case .connection, .hopByHop, .transferEncoding, .contentLength: return false
        default: return connectionTokens.isEmpty || !connectionTokens.contains(where: { HeaderName.equalsLowercased(name, $0) })
        }
    }

    /// Moves the forwarded backend's headers into `headers` (in front), as `String`s.
    func materializeForwardedHeaders() {
        guard let forwarded else { return }
        self.forwarded = nil
        let tokens = forwarded.connectionNamesHeaders ? forwarded.connectionTokens : []
        var list: [(String, String)] = []
        list.reserveCapacity(forwarded.fields.count + headers.count)
        forwarded.forEachField { name, value in
            guard Self.forwards(name, connectionTokens: tokens) else { return }
            list.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
        }
        headers = list + headers
    }

    /// Writes the head: the response's headers, then AWS's request-id and trace headers, the
    /// length, and `connection: close` when the connection ends. A header of the response named
    /// like one the gateway sets is replaced by the gateway's (as `HTTPHeaders.replaceOrAdd` did).
    func writeHead(into buffer: inout ByteBuffer, exchange: Exchange, rest: RestExchange, keepAlive: Bool) {
        buffer.writeStatusLine(minorVersion: 1, status: status)
        var hasTraceId = false
        if let forwarded {
            let tokens = forwarded.connectionNamesHeaders ? forwarded.connectionTokens : []
            ResponseHeaders.copyFields(of: forwarded, into: &buffer) { name in
                guard Self.forwards(name, connectionTokens: tokens) else { return false }
                if HeaderName.equals(name, "x-amzn-requestid") || HeaderName.equals(name, "x-amz-apigw-id") { return false }
                if HeaderName.equals(name, "x-amzn-trace-id") { hasTraceId = true }
                return true
            }
        }
        for (name, value) in headers {
            if HeaderName.equal(name[...], "x-amzn-requestid") || HeaderName.equal(name[...], "x-amz-apigw-id")
                || HeaderName.equal(name[...], "content-length") || (!keepAlive && HeaderName.equal(name[...], "connection"))
            {
                continue
            }
            if HeaderName.equal(name[...], "x-amzn-trace-id") { hasTraceId = true }
            buffer.writeHeaderLine(name, value)
        }
        // AWS_FACTS 4: REST responses carry x-amzn-RequestId, x-amz-apigw-id (the extended
        // request id) and X-Amzn-Trace-Id.
        buffer.writeHeaderLine("x-amzn-RequestId", rest.requestId)
        buffer.writeHeaderLine("x-amz-apigw-id", exchange.requestId)
        if !hasTraceId { buffer.writeHeaderLine("X-Amzn-Trace-Id", rest.traceId) }
        buffer.writeStaticString("content-length: ")
        buffer.writeString(String(body.count))
        buffer.writeStaticString("\r\n")
        if !keepAlive { buffer.writeStaticString("connection: close\r\n") }
        buffer.writeStaticString("\r\n")
    }
}
