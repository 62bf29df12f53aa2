import NIOCore
import NIOHTTP1
import PorticoRuntime

/// Builds the request an `HTTP_PROXY` integration sends upstream: the target URL with path
/// variables filled in, the client's headers less hop-by-hop ones, the `X-Forwarded-*` headers,
/// and the integration's parameter mapping applied.
enum ProxyRequest {
    /// How the request written by ``write(into:for:query:stagePath:match:target:integration:clientAddress:listenerPort:mappingContext:)``
    /// goes on: whether it is a `HEAD` (its response has no body) and whether its body is chunked.
    struct Shape {
        var isHead: Bool
        var chunked: Bool
    }

    /// Encodes the upstream request head into `buffer`. Without a request mapping (the common
    /// case) the head is written straight from the client's headers; with one, it is built as an
    /// `HTTPRequestHead` first so that the mapping can edit it.
    static func write(
        into buffer: inout ByteBuffer, for request: HTTPRequestHead, query: Substring, stagePath: Substring,
        match: Router<RuntimeRoute>.Match, target: HTTPTarget, integration: RuntimeIntegration, clientAddress: String,
        listenerPort: String, mappingContext: MappingContext?
    ) -> Shape {
        if let mappingContext, !integration.requestMapping.isEmpty {
            let head = head(
                for: request, query: query, stagePath: stagePath, match: match, target: target, integration: integration,
                clientAddress: clientAddress, listenerPort: listenerPort, mappingContext: mappingContext)
            buffer.writeRequestHead(head)
            return Shape(isHead: head.method == .HEAD, chunked: head.headers.contains(name: "transfer-encoding"))
        }
        let method = integration.method ?? request.method.rawValue
        buffer.writeString(method)
        buffer.writeStaticString(" ")
        writePath(into: &buffer, target: target, integration: integration, stagePath: stagePath, match: match)
        if !target.query.isEmpty || !query.isEmpty {
            buffer.writeStaticString("?")
            buffer.writeString(target.query)
            if !target.query.isEmpty, !query.isEmpty { buffer.writeStaticString("&") }
            buffer.writeSubstring(query)
        }
        buffer.writeStaticString(" HTTP/1.1\r\n")
        let (forwardedFor, chunked) = forEachForwardedHeader(of: request) { name, value in
            buffer.writeHeaderLine(name, value)
        }
        buffer.writeHeaderLine("host", target.hostHeader)
        buffer.writeForwardedFor(chain: forwardedFor, client: clientAddress)
        buffer.writeStaticString("x-forwarded-proto: http\r\n")
        buffer.writeHeaderLine("x-forwarded-port", listenerPort)
        if chunked { buffer.writeStaticString("transfer-encoding: chunked\r\n") }
        buffer.writeStaticString("\r\n")
        return Shape(isHead: method == "HEAD", chunked: chunked)
    }

    /// The upstream request as an `HTTPRequestHead`, with the integration's request mapping applied.
    static func head(
        for request: HTTPRequestHead, query: Substring, stagePath: Substring, match: Router<RuntimeRoute>.Match,
        target: HTTPTarget, integration: RuntimeIntegration, clientAddress: String, listenerPort: String,
        mappingContext: MappingContext
    ) -> HTTPRequestHead {
        var path = renderPath(target: target, integration: integration, stagePath: stagePath, match: match)
        var queryString: String
        if target.query.isEmpty {
            queryString = String(query)
        } else if query.isEmpty {
            queryString = target.query
        } else {
            queryString = target.query + "&" + query
        }
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headers.count + 4)
        let (forwardedFor, chunked) = forEachForwardedHeader(of: request) { name, value in
            headers.add(name: name, value: value)
        }
        headers.add(name: "host", value: target.hostHeader)
        headers.add(name: "x-forwarded-for", value: forwardedFor.map { $0 + ", " + clientAddress } ?? clientAddress)
        headers.add(name: "x-forwarded-proto", value: "http")
        headers.add(name: "x-forwarded-port", value: listenerPort)
        if chunked { headers.add(name: "transfer-encoding", value: "chunked") }
        apply(integration.requestMapping, headers: &headers, query: &queryString, path: &path, context: mappingContext)
        let uri = queryString.isEmpty ? path : path + "?" + queryString
        return HTTPRequestHead(version: .http1_1, method: integration.method.map { HTTPMethod(rawValue: $0) } ?? request.method, uri: uri, headers: headers)
    }

    /// Calls `emit` with each client header that is forwarded as is: not hop-by-hop (including
    /// those named in `Connection`), not one the gateway sets itself. Returns the client's
    /// `X-Forwarded-For` chain, and whether the request body is chunked.
    private static func forEachForwardedHeader(
        of request: HTTPRequestHead, _ emit: (String, String) -> Void
    ) -> (forwardedFor: String?, chunked: Bool) {
        // Headers named in `Connection` are hop-by-hop too (`close` and `keep-alive` name none
        // that would be forwarded anyway).
        var connectionTokens: [Substring] = []
        for (name, value) in request.headers where HeaderName.classify(name) == .connection {
            for token in value.split(separator: ",") {
                let token = token.trimmingSpaces()
                if !HeaderName.equal(token, "close"), !HeaderName.equal(token, "keep-alive") { connectionTokens.append(token) }
            }
        }
        var forwardedFor: String?
        var chunked = false
        for (name, value) in request.headers {
            switch HeaderName.classify(name) {
            case .transferEncoding:
                // A request transfer coding always ends in chunked (RFC 9112 §6.1); the body is
                // re-chunked for the upstream hop.
                chunked = true
            case .xForwardedFor:
                forwardedFor = forwardedFor.map { $0 + ", " + value } ?? value
            case .host, .connection, .hopByHop, .xForwardedProto, .xForwardedPort, .expect:
                continue
            case .other, .contentLength:
                if !connectionTokens.isEmpty, connectionTokens.contains(where: { HeaderName.equal($0, name) }) { continue }
                emit(name, value)
            }
        }
        return (forwardedFor, chunked)
    }

    static func renderPath(target: HTTPTarget, integration: RuntimeIntegration, stagePath: Substring, match: Router<RuntimeRoute>.Match) -> String {
        var buffer = ByteBuffer()
        writePath(into: &buffer, target: target, integration: integration, stagePath: stagePath, match: match)
        return String(buffer: buffer)
    }

    /// The integration URI's path with `{name}` filled from the route's path parameters (and, for
    /// `$default`-style integrations, the request path appended).
    static func writePath(
        into buffer: inout ByteBuffer, target: HTTPTarget, integration: RuntimeIntegration, stagePath: Substring,
        match: Router<RuntimeRoute>.Match
    ) {
        let start = buffer.writerIndex
        for part in target.path {
            switch part {
            case .literal(let text):
                buffer.writeString(text)
            case .parameter(let name):
                if let value = match.pathParameters.first(where: { $0.name == name })?.value {
                    buffer.writePercentEncoded(value, keepSlash: true)
                }
            }
        }
        if integration.appendsRequestPath {
            // `$default` route: "API Gateway sends the full request path to the integration".
            while buffer.writerIndex > start, buffer.getInteger(at: buffer.writerIndex - 1, as: UInt8.self) == UInt8(ascii: "/") {
                buffer.moveWriterIndex(to: buffer.writerIndex - 1)
            }
            buffer.writeSubstring(stagePath)
        }
        if buffer.writerIndex == start { buffer.writeStaticString("/") }
    }

    static func apply(_ mapping: ParameterMapping, headers: inout HTTPHeaders, query: inout String, path: inout String, context: MappingContext) {
        var queryItems: [(String, String)]? = nil
        for operation in mapping.operations {
            let value = operation.value.render(context)
            switch operation.target {
            case .header(let name):
                // A mapped value may come from a body ($request.body.x) and hold a line break:
                // never let it split the header section.
                if let value, !isSafeHeaderValue(value) { continue }
                switch operation.action {
                case .remove: headers.remove(name: name)
                case .overwrite:
                    if let value { headers.replaceOrAdd(name: name, value: value) }
                case .append:
                    if let value {
                        if let existing = headers.first(name: name) {
                            headers.replaceOrAdd(name: name, value: existing + "," + value)
                        } else {
                            headers.add(name: name, value: value)
                        }
                    }
                }
            case .queryString(let name):
                if queryItems == nil { queryItems = parseQuery(query[...]) }
                switch operation.action {
                case .remove: queryItems!.removeAll { $0.0 == name }
                case .overwrite:
                    if let value {
                        queryItems!.removeAll { $0.0 == name }
                        queryItems!.append((name, value))
                    }
                case .append:
                    if let value { queryItems!.append((name, value)) }
                }
            case .path:
                if let value {
                    path = value.hasPrefix("/") ? value : "/" + value
                }
            case .statusCode:
                break
            }
        }
        if let queryItems {
            query = queryItems.map { PercentDecoding.encode($0.0) + "=" + PercentDecoding.encode($0.1) }.joined(separator: "&")
        }
    }

    /// Whether a mapped header value can be sent as is (no CR, LF or NUL).
    static func isSafeHeaderValue(_ value: String) -> Bool {
        !value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }

    /// Query parameters, decoded, in order.
    static func parseQuery(_ query: Substring) -> [(String, String)] {
        guard !query.isEmpty else { return [] }
        return query.split(separator: "&").map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return (PercentDecoding.decodeQueryComponent(pair[..<equals]), PercentDecoding.decodeQueryComponent(pair[pair.index(after: equals)...]))
            }
            return (PercentDecoding.decodeQueryComponent(pair), "")
        }
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while result.first == " " || result.first == "\t" { result.removeFirst() }
        while result.last == " " || result.last == "\t" { result.removeLast() }
        return result
    }
}
