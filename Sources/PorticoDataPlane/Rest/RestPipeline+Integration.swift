import Foundation
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoRuntime
import PorticoTemplates

extension RestPipeline {
    /// Sends the request to the method's integration and maps the answer back.
    func integrate(_ method: RestRuntimeMethod, _ done: @escaping (RestResponse) -> Void) {
        let integration = method.integration
        switch integration.kind {
        case .unusable(let reason):
            exchange.errorMessage = reason
            done(gatewayResponse(.apiConfigurationError, message: "Internal server error"))
        case .httpProxy(let target):
            let head = upstreamHead(target: target, integration: integration, proxy: true, contentType: nil, overrides: .init(), bodyCount: rest.body.count)
            call(target, integration, head: head, body: rest.body) { result in
                switch result {
                case .success(let response): done(proxyResponse(response))
                case .failure(let failure): done(integrationFailure(failure))
                }
            }
        case .mock:
            switch prepareRequest(integration) {
            case .failure(let failure):
                done(failure.response)
            case .success(let prepared):
                done(mockResponse(integration, prepared))
            }
        case .http(let target):
            switch prepareRequest(integration) {
            case .failure(let failure):
                done(failure.response)
            case .success(let prepared):
                let head = upstreamHead(
                    target: target, integration: integration, proxy: false, contentType: prepared.contentType,
                    overrides: prepared.overrides, bodyCount: prepared.body.count)
                call(target, integration, head: head, body: prepared.body) { result in
                    switch result {
                    case .success(let response):
                        let entry = integration.responses.select(String(response.head.status.code))
                        done(integrationResponse(entry, backend: response))
                    case .failure(let failure):
                        done(integrationFailure(failure))
                    }
                }
            }
        }
    }

    // MARK: request

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
        if proxy {
            for (name, value) in exchange.head.headers {
                switch HeaderName.classify(name) {
                case .host, .connection, .hopByHop, .transferEncoding, .contentLength, .expect: continue
                default: headers.add(name: name, value: value)
                }
            }
            headers.add(name: "x-forwarded-for", value: clientAddress)
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
        var path = ""
        for part in target.path {
            switch part {
            case .literal(let text): path += text
            case .parameter(let name):
                let value = pathValues[name] ?? rest.pathParameters.last { $0.name == name }?.value ?? ""
                path += PercentDecoding.encode(value, keepSlash: true)
            }
        }
        if path.isEmpty { path = "/" }
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

    /// Calls the backend on this loop's pool, with the integration's timeout.
    func call(
        _ target: HTTPTarget, _ integration: RestRuntimeIntegration, head: HTTPRequestHead, body: [UInt8],
        _ completion: @escaping (Result<RestUpstreamCall.Response, RestUpstreamCall.Failure>) -> Void
    ) {
        var headBuffer = ByteBuffer()
        headBuffer.writeRequestHead(head)
        let key = UpstreamPool.Key(host: target.host, port: target.port, tlsServerName: target.scheme == .https ? target.host : nil)
        let upstream = RestUpstreamCall(
            pool: state.pool, key: key, head: headBuffer, body: body.isEmpty ? nil : ByteBuffer(bytes: body), isHead: head.method == .HEAD,
            maxBytes: configuration.maxPayloadBytes)
        rest.call = upstream
        let exchange = self.exchange
        let start = NIODeadline.now()
        exchange.integrationStart = start
        upstream.start(timeoutMillis: integration.timeoutMillis) { result in
            exchange.integrationLatencyNanos = (NIODeadline.now() - start).nanoseconds
            exchange.integrationStatus = upstream.status
            completion(result)
        }
    }

    // MARK: response

    /// `HTTP_PROXY`: the backend's status, headers (less hop-by-hop ones) and body as they are.
    func proxyResponse(_ response: RestUpstreamCall.Response) -> RestResponse {
        var headers: [(String, String)] = []
        for (name, value) in response.head.headers {
            switch HeaderName.classify(name) {
            case .connection, .hopByHop, .transferEncoding, .contentLength: continue
            default: headers.append((name, value))
            }
        }
        return RestResponse(status: Int(response.head.status.code), headers: headers, body: response.body)
    }

    /// Timeouts answer 504 "Endpoint request timed out" (INTEGRATION_TIMEOUT); a backend that
    /// cannot be reached answers 500 "Internal server error", as AWS does for HTTP integrations
    /// ("Execution failed due to configuration error"); a response over the payload quota too.
    func integrationFailure(_ failure: RestUpstreamCall.Failure) -> RestResponse {
        switch failure {
        case .timedOut:
            exchange.integrationError = "timeout"
            return gatewayResponse(.integrationTimeout, message: "Endpoint request timed out")
        case .failed(let reason):
            exchange.integrationError = reason
            exchange.errorMessage = reason
            return gatewayResponse(.apiConfigurationError, message: "Internal server error")
        case .tooLarge:
            exchange.integrationError = "the integration response exceeds the payload limit"
            return gatewayResponse(.apiConfigurationError, message: "Internal server error")
        }
    }

    /// `MOCK`: the request template's output names the status (`{"statusCode": 200}`) that
    /// selects the integration response; with no template, the default response answers (AWS:
    /// "you can have the mock integration return the default integration response without
    /// defining an integration request mapping template").
    func mockResponse(_ integration: RestRuntimeIntegration, _ prepared: PreparedRequest) -> RestResponse {
        let entry: RestIntegrationResponses.Entry?
        if prepared.transformed {
            guard case .object(let members)? = JSONValue.parse(prepared.body), let status = Self.statusText(members["statusCode"]) else {
                exchange.errorMessage = "the MOCK request template did not produce a statusCode"
                return gatewayResponse(.apiConfigurationError, message: "Internal server error")
            }
            entry = integration.responses.select(status)
        } else {
            entry = integration.responses.defaultEntry
        }
        return integrationResponse(entry, backend: nil)
    }

    static func statusText(_ value: JSONValue?) -> String? {
        switch value {
        case .integer(let number): String(number)
        case .string(let text): text
        case .number(let number) where number == number.rounded(): String(Int(number))
        default: nil
        }
    }

    /// The method response from an integration response: its status, mapped headers, and the
    /// body through the response template chosen by `Accept` (or passed through).
    func integrationResponse(_ entry: RestIntegrationResponses.Entry?, backend: RestUpstreamCall.Response?) -> RestResponse {
        guard let entry else {
            // AWS: "No match for output mapping and no default output mapping configured".
            exchange.errorMessage = "no integration response matches and none is the default"
            return gatewayResponse(.apiConfigurationError, message: "Internal server error")
        }
        let backendBody = backend?.body ?? []
        let backendJSON = entry.readsResponseBody ? JSONValue.parse(backendBody) : nil
        var status = entry.statusCode
        var headers: [(String, String)] = []
        for (name, source) in entry.headers {
            if let value = value(source, backend: backend, backendJSON: backendJSON) { headers.append((name, value)) }
        }
        let isBinary = rest.deployment?.binaryMediaTypes.contains(backend?.head.headers.first(name: "content-type")) ?? false
        var body = Self.convert(backendBody, isBinary: isBinary, contentHandling: entry.contentHandling)
        var contentType = "application/json"
        if let (templateType, template) = entry.template(accept: exchange.head.headers.first(name: "accept")) {
            do {
                let result = try template.render(context: templateContext(body: body))
                body = Array(result.body.utf8)
                contentType = templateType
                for (name, value) in result.responseOverride.header {
                    headers.removeAll { $0.0.lowercased() == name.lowercased() }
                    headers.append((name, value))
                }
                if let override = result.statusOverride { status = override }
            } catch {
                exchange.errorMessage = "response template failed: \(error)"
                return gatewayResponse(.apiConfigurationError, message: "Internal server error")
            }
        }
        if !headers.contains(where: { $0.0.lowercased() == "content-type" }) { headers.append(("Content-Type", contentType)) }
        return RestResponse(status: status, headers: headers, body: body)
    }
}

/// A REST response that ends the pipeline early, as a `Result` failure.
struct RestResponseFailure: Error {
    var response: RestResponse
    init(_ response: RestResponse) { self.response = response }
}
