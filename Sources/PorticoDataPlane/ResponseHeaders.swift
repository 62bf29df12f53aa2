import NIOCore
import NIOHTTP1
import PorticoRuntime

/// Turns a backend's response head into the one the client gets: hop-by-hop headers dropped,
/// CORS headers per the API's configuration, `apigw-requestid` added, response parameter
/// mapping applied.
enum ResponseHeaders {
    /// Writes the client's response head for a backend's head, copying the backend's headers as
    /// bytes (the path of every response without a response mapping). `framing` is how the body
    /// goes to the client; `transfer-encoding: chunked` is added when the gateway chunks it.
    static func write(
        from backend: BackendResponseHead, exchange: Exchange, framing: ClientBodyFraming, keepAlive: Bool,
        into buffer: inout ByteBuffer
    ) {
        buffer.writeStatusLine(minorVersion: exchange.head.version.minor, status: backend.status)
        let cors = exchange.stage?.cors
        let connectionTokens = backend.connectionNamesHeaders ? backend.connectionTokens : []
        let lengthIsFraming = backend.framingUsesContentLength
        copyFields(of: backend, into: &buffer) { name in
            switch HeaderName.classify(name) {
            case .connection, .transferEncoding, .hopByHop: return false
            case .contentLength where !lengthIsFraming: return false
            default: break
            }
            // "If you configure CORS for an API, API Gateway ignores CORS headers returned from
            // your backend integration."
            if cors != nil, HeaderName.hasPrefix(name, "access-control-") { return false }
            return connectionTokens.isEmpty || !connectionTokens.contains(where: { HeaderName.equalsLowercased(name, $0) })
        }
        if framing == .chunked { buffer.writeStaticString("transfer-encoding: chunked\r\n") }
        forEachAddedHeader(exchange: exchange, keepAlive: keepAlive) { name, value in buffer.writeHeaderLine(name, value) }
        buffer.writeStaticString("\r\n")
    }

    /// Copies the header lines of `backend` for which `isForwarded(name)` holds. Lines the backend
    /// wrote as `name: value\r\n` are copied as they are, and a run of consecutive ones in one write
    /// (usually the whole header block); other lines are written out normalized. Each `ByteBuffer`
    /// write checks the storage's uniqueness and capacity, four writes per header otherwise.
    static func copyFields(
        of backend: BackendResponseHead, into buffer: inout ByteBuffer, isForwarded: (UnsafeRawBufferPointer) -> Bool
    ) {
        backend.bytes.withUnsafeReadableBytes { raw in
            var run = 0..<0
            for field in backend.fields {
                let nameStart = Int(field.nameStart), nameEnd = Int(field.nameEnd)
                let valueStart = Int(field.valueStart), valueEnd = Int(field.valueEnd)
                let forwarded = isForwarded(UnsafeRawBufferPointer(rebasing: raw[nameStart..<nameEnd]))
                let canonical = valueStart == nameEnd + 2 && raw[nameEnd + 1] == UInt8(ascii: " ") && valueEnd + 1 < raw.count
                    && raw[valueEnd] == UInt8(ascii: "\r") && raw[valueEnd + 1] == UInt8(ascii: "\n")
                if forwarded, canonical, run.isEmpty || run.upperBound == nameStart {
                    run = (run.isEmpty ? nameStart : run.lowerBound)..<(valueEnd + 2)
                    continue
                }
                if !run.isEmpty {
                    buffer.writeBytes(UnsafeRawBufferPointer(rebasing: raw[run]))
                    run = 0..<0
                }
                guard forwarded else { continue }
                if canonical {
                    run = nameStart..<(valueEnd + 2)
                } else {
                    buffer.writeHeaderLine(
                        UnsafeRawBufferPointer(rebasing: raw[nameStart..<nameEnd]), UnsafeRawBufferPointer(rebasing: raw[valueStart..<valueEnd]))
                }
            }
            if !run.isEmpty { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: raw[run])) }
        }
    }

    /// The client's response head for a backend's head as an `HTTPResponseHead`, for routes whose
    /// response mappings edit it.
    static func make(from upstream: HTTPResponseHead, exchange: Exchange, keepAlive: Bool) -> HTTPResponseHead {
        var headers = HTTPHeaders()
        headers.reserveCapacity(upstream.headers.count + 3)
        let cors = exchange.stage?.cors
        var connectionTokens: [String] = []
        for value in upstream.headers["connection"] {
            connectionTokens += value.split(separator: ",").map { $0.trimmingSpaces().lowercased() }
        }
        for (name, value) in upstream.headers {
            switch HeaderName.classify(name) {
            case .connection, .transferEncoding, .hopByHop: continue
            default: break
            }
            if cors != nil, HeaderName.hasPrefix(name, "access-control-") { continue }
            if connectionTokens.contains(where: { HeaderName.equal(name[...], $0) }) { continue }
            headers.add(name: name, value: value)
        }
        forEachAddedHeader(exchange: exchange, keepAlive: keepAlive) { name, value in headers.add(name: name, value: value) }
        return HTTPResponseHead(version: exchange.head.version, status: upstream.status, headers: headers)
    }

    /// The headers the gateway adds to a backend's response: CORS per the API's configuration,
    /// `apigw-requestid`, and `Connection` when the default for the client's version does not hold.
    private static func forEachAddedHeader(exchange: Exchange, keepAlive: Bool, _ emit: (String, String) -> Void) {
        if let cors = exchange.stage?.cors, let origin = exchange.corsAllowOrigin {
            for (name, value) in cors.responseHeaders(allowOrigin: origin) { emit(name, value) }
        }
        emit("apigw-requestid", exchange.requestId)
        if !keepAlive {
            emit("connection", "close")
        } else if exchange.head.version.major == 1, exchange.head.version.minor == 0 {
            // HTTP/1.0 closes by default; a connection kept open must say so.
            emit("connection", "keep-alive")
        }
    }

    /// Writes a response head built as an `HTTPResponseHead` (mapped responses, the gateway's own).
    static func write(_ head: HTTPResponseHead, chunked: Bool, into buffer: inout ByteBuffer) {
        buffer.writeStatusLine(minorVersion: head.version.minor, status: Int(head.status.code))
        for (name, value) in head.headers { buffer.writeHeaderLine(name, value) }
        if chunked { buffer.writeStaticString("transfer-encoding: chunked\r\n") }
        buffer.writeStaticString("\r\n")
    }

    static func apply(_ mapping: ParameterMapping, to head: inout HTTPResponseHead, context: MappingContext) {
        for operation in mapping.operations {
            let value = operation.value.render(context)
            switch operation.target {
            case .header(let name):
                if let value, !ProxyRequest.isSafeHeaderValue(value) { continue }
                switch operation.action {
                case .remove: head.headers.remove(name: name)
                case .overwrite:
                    if let value { head.headers.replaceOrAdd(name: name, value: value) }
                case .append:
                    if let value { head.headers.add(name: name, value: value) }
                }
            case .statusCode:
                if let value, let code = Int(value), (100...599).contains(code) {
                    head.status = HTTPResponseStatus(statusCode: code)
                }
            case .queryString, .path:
                break
            }
        }
    }
}
