import NIOCore
import NIOHTTP1
import PorticoRuntime

/// Builds the request an `HTTP_PROXY` integration sends upstream: the target URL with path
/// variables filled in, the client's headers less hop-by-hop ones, the `X-Forwarded-*` headers,
/// and the integration's parameter mapping applied.
enum ProxyRequest {
    static func head(
        for request: HTTPRequestHead, query: Substring, stagePath: Substring, match: Router<RuntimeRoute>.Match,
        target: HTTPTarget, integration: RuntimeIntegration, clientAddress: String, listenerPort: String,
        mappingContext: MappingContext?
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
        // Headers named in `Connection` are hop-by-hop too.
        var connectionTokens: [Substring] = []
        for value in request.headers["connection"] {
            connectionTokens.append(contentsOf: value.split(separator: ",").map { $0.trimmingSpaces() })
        }
        var forwardedFor: String?
        var chunked = false
        for (name, value) in request.headers {
            switch HeaderName.classify(name) {
            case .transferEncoding:
                // A request transfer coding always ends in chunked (RFC 9112 §6.1); the body is
                // re-chunked for the upstream hop.
                chunked = true
            case .host, .connection, .hopByHop, .xForwardedProto, .xForwardedPort, .expect:
                continue
            case .xForwardedFor:
                forwardedFor = forwardedFor.map { $0 + ", " + value } ?? value
            case .other:
                if !connectionTokens.isEmpty, connectionTokens.contains(where: { HeaderName.equal($0, name) }) { continue }
                headers.add(name: name, value: value)
            }
        }
        headers.add(name: "host", value: target.hostHeader)
        headers.add(name: "x-forwarded-for", value: forwardedFor.map { $0 + ", " + clientAddress } ?? clientAddress)
        headers.add(name: "x-forwarded-proto", value: "http")
        headers.add(name: "x-forwarded-port", value: listenerPort)
        if chunked { headers.add(name: "transfer-encoding", value: "chunked") }

        if let mappingContext, !integration.requestMapping.isEmpty {
            apply(integration.requestMapping, headers: &headers, query: &queryString, path: &path, context: mappingContext)
        }
        let uri = queryString.isEmpty ? path : path + "?" + queryString
        return HTTPRequestHead(version: .http1_1, method: integration.method.map { HTTPMethod(rawValue: $0) } ?? request.method, uri: uri, headers: headers)
    }

    static func renderPath(target: HTTPTarget, integration: RuntimeIntegration, stagePath: Substring, match: Router<RuntimeRoute>.Match) -> String {
        var path = ""
        for part in target.path {
            switch part {
            case .literal(let text):
                path += text
            case .parameter(let name):
                if let value = match.pathParameters.first(where: { $0.name == name })?.value {
                    path += PercentDecoding.encode(value, keepSlash: true)
                }
            }
        }
        if integration.appendsRequestPath {
            // `$default` route: "API Gateway sends the full request path to the integration".
            while path.hasSuffix("/") { path.removeLast() }
            path += stagePath
        }
        if path.isEmpty { path = "/" }
        return path
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
