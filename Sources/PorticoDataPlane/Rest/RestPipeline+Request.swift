import Foundation
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoRuntime
import PorticoTemplates

extension RestPipeline {
    struct PreparedRequest {
        var body: [UInt8]
        var contentType: String?
        var overrides: RenderResult.Overrides
        /// Whether a request template produced the body (else the payload passed through).
        var transformed: Bool
    }

    /// The integration request payload of a non-proxy integration: the client's payload with
    /// `contentHandling` applied, then the request template chosen by `Content-Type`, or passed
    /// through, or refused with 415 per `passthroughBehavior` (AWS: "Integration passthrough
    /// behaviors").
    func prepareRequest(_ integration: RestRuntimeIntegration) -> Result<PreparedRequest, RestResponseFailure> {
        let contentType = exchange.head.headers.first(name: "content-type")
        let isBinary = rest.deployment?.binaryMediaTypes.contains(contentType) ?? false
        let payload = Self.convert(rest.body, isBinary: isBinary, contentHandling: integration.contentHandling)
        switch integration.requestTemplates.select(contentType: contentType) {
        case .unsupportedMediaType:
            return .failure(.init(gatewayResponse(.unsupportedMediaType, message: "Unsupported Media Type")))
        case .passThrough:
            return .success(PreparedRequest(body: payload, contentType: contentType, overrides: .init(), transformed: false))
        case .transform(let template):
            do {
                let result = try template.render(context: templateContext(body: payload))
                return .success(
                    PreparedRequest(
                        body: Array(result.body.utf8), contentType: contentType ?? "application/json", overrides: result.requestOverride,
                        transformed: true))
            } catch {
                exchange.errorMessage = "request template failed: \(error)"
                if error.code == .invalidJSON {
                    // AWS answers a body its template cannot parse with 400 "Could not parse request
                    // body into json: …" (followed by Jackson's reason; Portico's parser words its own).
                    return .failure(.init(gatewayResponse(.badRequestBody, message: "Could not parse request body into json: \(error.message)")))
                }
                return .failure(.init(gatewayResponse(.apiConfigurationError, message: "Internal server error")))
            }
        }
    }

    /// AWS's `contentHandling` conversions ("Content type conversions in API Gateway"): a binary
    /// payload becomes base64 text with `CONVERT_TO_TEXT`; a text payload is base64-decoded with
    /// `CONVERT_TO_BINARY`; otherwise the payload passes as it is.
    static func convert(_ payload: [UInt8], isBinary: Bool, contentHandling: String?) -> [UInt8] {
        switch contentHandling {
        case "CONVERT_TO_TEXT" where isBinary:
            return Array(Data(payload).base64EncodedString().utf8)
        case "CONVERT_TO_BINARY" where !isBinary:
            return Data(base64Encoded: Data(payload), options: .ignoreUnknownCharacters).map { Array($0) } ?? payload
        default:
            return payload
        }
    }

    /// The upstream request head of an HTTP or HTTP_PROXY integration: the URI with `{name}`
    /// filled from `integration.request.path.*` (else the method's path parameter of that name),
    /// mapped query strings and headers, template overrides last. A proxy forwards the client's
    /// headers and query string; a non-proxy integration sends only what is mapped (AWS).
    func upstreamHead(
        target: HTTPTarget, integration: RestRuntimeIntegration, proxy: Bool, contentType: String?, overrides: RenderResult.Overrides,
        bodyCount: Int
    ) -> HTTPRequestHead {
        var pathValues: [String: String] = [:]
        var queryItems: [(String, String)] = []
        var headers = HTTPHeaders()
        // The client's headers plus the few the gateway adds, in one allocation.
        headers.reserveCapacity(exchange.head.headers.count + integration.requestParameters.count + 6)
        if proxy {
            let forwardedFor = forEachForwardedClientHeader { name, value in headers.add(name: name, value: value) }
            // As for HTTP APIs: the client's address is appended to the chain it sent.
            headers.add(name: "x-forwarded-for", value: forwardedFor.map { $0 + ", " + clientAddress } ?? clientAddress)
            headers.add(name: "x-forwarded-proto", value: "http")
        } else {
            if let contentType { headers.add(name: "content-type", value: contentType) }
            headers.add(name: "user-agent", value: "AmazonAPIGateway_\(rest.api.restApiId)")
        }
        for (parameter, source) in integration.requestParameters {
            guard let value = value(source, backend: nil) else { continue }
            switch parameter.location {
            case .header: headers.replaceOrAdd(name: parameter.name, value: value)
            case .querystring: queryItems.append((parameter.name, value))
            case .path: pathValues[parameter.name] = value
            }
        }
        for (name, value) in overrides.header { headers.replaceOrAdd(name: name, value: value) }
        for (name, value) in overrides.querystring {
            queryItems.removeAll { $0.0 == name }
            queryItems.append((name, value))
        }
        for (name, value) in overrides.path { pathValues[name] = value }
        var pathBuffer = ByteBuffer()
        writePath(of: target, into: &pathBuffer) { name in pathValues[name] ?? rest.pathParameters.last { $0.name == name }?.value }
        let path = String(buffer: pathBuffer)
        var query = target.query
        if proxy, !rest.rawQuery.isEmpty { query += (query.isEmpty ? "" : "&") + rest.rawQuery }
        for (name, value) in queryItems {
            query += (query.isEmpty ? "" : "&") + PercentDecoding.encode(name) + "=" + PercentDecoding.encode(value)
        }
        headers.replaceOrAdd(name: "host", value: target.hostHeader)
        headers.replaceOrAdd(name: "x-amzn-trace-id", value: rest.traceId)
        if bodyCount > 0 || !(exchange.head.method == .GET || exchange.head.method == .HEAD) {
            headers.replaceOrAdd(name: "content-length", value: String(bodyCount))
        }
        let method = HTTPMethod(rawValue: integration.method ?? exchange.head.method.rawValue)
        return HTTPRequestHead(version: .http1_1, method: method, uri: query.isEmpty ? path : path + "?" + query, headers: headers)
    }

    /// The integration URI's path with `{name}` filled by `value(name)` (empty when it has none),
    /// percent-encoded; `/` when the URI has no path.
    func writePath(of target: HTTPTarget, into buffer: inout ByteBuffer, value: (String) -> String?) {
        let start = buffer.writerIndex
        for part in target.path {
            switch part {
            case .literal(let text): buffer.writeString(text)
            case .parameter(let name): buffer.writePercentEncoded(value(name) ?? "", keepSlash: true)
            }
        }
        if buffer.writerIndex == start { buffer.writeStaticString("/") }
    }

    /// Whether ``writeProxyHead(target:integration:into:)`` can write this integration's request:
    /// an `HTTP_PROXY` whose request parameters map only path variables (the usual case).
    static func writesProxyHeadDirectly(_ integration: RestRuntimeIntegration) -> Bool {
        integration.requestParameters.allSatisfy { $0.target.location == .path }
    }

    /// The upstream request head of an `HTTP_PROXY` integration that maps only path variables,
    /// written straight into bytes: the same head as ``upstreamHead(target:integration:proxy:contentType:overrides:bodyCount:)``
    /// builds (same headers, same order), without an `HTTPHeaders` or a `String` per header.
    /// Returns whether the request is a `HEAD`.
    func writeProxyHead(target: HTTPTarget, integration: RestRuntimeIntegration, into buffer: inout ByteBuffer) -> Bool {
        let method = integration.method ?? exchange.head.method.rawValue
        buffer.writeString(method)
        buffer.writeStaticString(" ")
        writePath(of: target, into: &buffer) { name in
            // A mapped path variable (the last mapping of that name wins), else the method's own.
            if let mapped = integration.requestParameters.last(where: { $0.target.name == name }) {
                return value(mapped.source, backend: nil)
            }
            return rest.pathParameters.last { $0.name == name }?.value
        }
        if !target.query.isEmpty || !rest.rawQuery.isEmpty {
            buffer.writeStaticString("?")
            buffer.writeString(target.query)
            if !target.query.isEmpty, !rest.rawQuery.isEmpty { buffer.writeStaticString("&") }
            buffer.writeSubstring(rest.rawQuery)
        }
        buffer.writeStaticString(" HTTP/1.1\r\n")
        let forwardedFor = forEachForwardedClientHeader { name, value in buffer.writeHeaderLine(name, value) }
        buffer.writeForwardedFor(chain: forwardedFor, client: clientAddress)
        buffer.writeStaticString("x-forwarded-proto: http\r\n")
        buffer.writeHeaderLine("host", target.hostHeader)
        buffer.writeHeaderLine("x-amzn-trace-id", rest.traceId)
        if !rest.body.isEmpty || !(exchange.head.method == .GET || exchange.head.method == .HEAD) {
            buffer.writeStaticString("content-length: ")
            buffer.writeString(String(rest.body.count))
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
        return method == "HEAD"
    }

    /// Calls `emit` with each client header an `HTTP_PROXY` forwards: not hop-by-hop, not one the gateway
    /// sets itself (`Host`, `Content-Length`, `X-Forwarded-*`, the trace id), not the `Content-Encoding` of a
    /// body the gateway decoded (it goes on decoded). Returns the client's `X-Forwarded-For` chain.
    func forEachForwardedClientHeader(_ emit: (String, String) -> Void) -> String? {
        var forwardedFor: String?
        for (name, value) in exchange.head.headers {
            switch HeaderName.classify(name) {
            case .host, .connection, .hopByHop, .transferEncoding, .contentLength, .expect, .xForwardedProto, .xForwardedPort: continue
            case .xForwardedFor: forwardedFor = forwardedFor.map { $0 + ", " + value } ?? value
            case .other:
                if rest.bodyWasDecoded, HeaderName.equal(name[...], "content-encoding") { continue }
                if HeaderName.equal(name[...], "x-amzn-trace-id") { continue }
                emit(name, value)
            }
        }
        return forwardedFor
    }

    /// Calls the backend on this loop's pool, with the integration's timeout.
    func call(
        _ target: HTTPTarget, _ integration: RestRuntimeIntegration, head: HTTPRequestHead, body: [UInt8],
        _ completion: @escaping (Result<RestUpstreamCall.Response, RestUpstreamCall.Failure>) -> Void
    ) {
        var headBuffer = ByteBuffer()
        headBuffer.writeRequestHead(head)
        call(target, integration, head: headBuffer, isHead: head.method == .HEAD, body: body, completion)
    }

    /// Calls the backend with a request head already written.
    func call(
        _ target: HTTPTarget, _ integration: RestRuntimeIntegration, head headBuffer: ByteBuffer, isHead: Bool, body: [UInt8],
        _ completion: @escaping (Result<RestUpstreamCall.Response, RestUpstreamCall.Failure>) -> Void
    ) {
        let key = UpstreamPool.Key(host: target.host, port: target.port, tlsServerName: target.scheme == .https ? target.host : nil)
        let upstream = RestUpstreamCall(
            pool: state.pool, key: key, head: headBuffer, body: body.isEmpty ? nil : ByteBuffer(bytes: body), isHead: isHead,
            maxBytes: configuration.maxPayloadBytes, exchange: exchange)
        rest.call = upstream
        let start = NIODeadline.now()
        exchange.integrationStart = start
        // The loop's tick times the call out (GatewayHandler.integrationTimedOut → RestUpstreamCall.timedOut); the
        // call records its latency and status on the exchange when it ends.
        exchange.deadline = start + .milliseconds(Int64(integration.timeoutMillis))
        upstream.start(completion)
    }
}
