import Foundation
import NIOHTTP1
import PorticoModel
import PorticoRuntime
import PorticoTemplates

/// Data mapping of WebSocket integrations (AWS, "Data transformations for WebSocket APIs" and "Set up data
/// mapping for WebSocket APIs"), with REST's template engine and `contentHandling` conversions:
///
/// - `requestParameters` resolve against the route request (the handshake's headers and query string on
///   `$connect`, the message's JSON on every route), `$context`, stage variables and static values;
/// - a non-proxy integration's request template (chosen by the template selection expression) renders the
///   backend's payload, or the message passes through by `passthroughBehavior`;
/// - a non-proxy integration's answer goes through the integration response matching the backend's status
///   (`/regex/` keys, then `$default`) and its template.
extension WebSocketIntegrationCall {
    /// The route request's values for `requestParameters` and templates.
    struct RouteRequest {
        var headers: [(String, String)] = []
        var query: [(String, String)] = []

        init(_ event: WebSocketEvent) {
            // AWS: headers and query string parameters are "supported only for the $connect route".
            if case .connect(let headers, let rawQuery) = event.kind {
                self.headers = headers.map { ($0.name, $0.value) }
                query = ProxyRequest.parseQuery(rawQuery)
            }
        }
    }

    /// The message as the integration is to receive it, after `contentHandlingStrategy` (a binary message
    /// becomes base64 text with `CONVERT_TO_TEXT`, a text message is base64-decoded with `CONVERT_TO_BINARY`).
    static func convertedMessage(_ integration: WebSocketRuntimeIntegration, _ call: Event) -> [UInt8] {
        guard let strategy = integration.contentHandling else { return call.messageBytes }
        return RestPipeline.convert(call.messageBytes, isBinary: call.isBinary, contentHandling: strategy)
    }

    /// The request template's output (or the message passed through), or why the message is refused.
    static func requestPayload(
        _ integration: WebSocketRuntimeIntegration, _ call: Event, request: RouteRequest
    ) -> Result<(body: [UInt8], overrides: RenderResult.Overrides), Failure> {
        let message = convertedMessage(integration, call)
        guard integration.templated else { return .success((message, .init())) }
        switch integration.requestSelection(for: call.messageJSON) {
        case .passThrough:
            return .success((message, .init()))
        case .unsupportedMediaType:
            // Portico's wording: AWS's answer to a message no template takes under NEVER is not recorded.
            return .failure(.init("no request template matches the message and passthroughBehavior is \(integration.passthroughBehavior.rawValue)"))
        case .transform(let template):
            var input = templateContext(call, request: request)
            input.body = message
            do {
                let rendered = try template.render(context: input)
                return .success((Array(rendered.body.utf8), rendered.requestOverride))
            } catch {
                return .failure(.init("the request template failed: \(error)"))
            }
        }
    }

    struct Failure: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// A `requestParameters` source's value for this event; nil leaves the parameter out. `context` is the
    /// event's `$context`, built once per call by the caller when a mapping reads it.
    static func value(_ source: RestValueSource, _ call: Event, request: RouteRequest, context: [String: JSONValue]?) -> String? {
        switch source {
        case .literal(let text): return text
        case .requestHeader(let name): return request.headers.last { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
        case .requestMultiValueHeader(let name):
            let values = request.headers.filter { $0.0.caseInsensitiveCompare(name) == .orderedSame }.map(\.1)
            return values.isEmpty ? nil : values.joined(separator: ",")
        case .requestQuery(let name): return request.query.last { $0.0 == name }?.1
        case .requestMultiValueQuery(let name):
            let values = request.query.filter { $0.0 == name }.map(\.1)
            return values.isEmpty ? nil : values.joined(separator: ",")
        case .requestBody(let path):
            guard let path else { return String(decoding: call.messageBytes, as: UTF8.self) }
            return call.messageJSON.flatMap { path.text(in: $0) }
        case .stageVariable(let name): return call.event.stageVariables[name]
        case .context(let name):
            return JSONValue.object(context ?? templateContext(call, request: request).context).scalarText(atDottedPath: name)
        case .requestPath, .responseHeader, .responseMultiValueHeader, .responseBody: return nil
        }
    }

    /// The path, query string and extra headers of the backend request: `integration.request.path.*` fill the
    /// URI's `{name}` segments, `querystring.*` join the URI's own query, `header.*` are added; template
    /// overrides (`$context.requestOverride.*`) win over mappings.
    static func mappedRequest(
        _ target: HTTPTarget, _ integration: WebSocketRuntimeIntegration, _ call: Event, request: RouteRequest,
        overrides: RenderResult.Overrides
    ) -> (path: String, headers: [(String, String)]) {
        var pathValues: [String: String] = [:]
        var query: [(String, String)] = []
        var headers: [(String, String)] = []
        let readsContext = integration.requestParameters.contains { if case .context = $0.source { true } else { false } }
        let context = readsContext ? templateContext(call, request: request).context : nil
        for mapping in integration.requestParameters {
            guard let value = value(mapping.source, call, request: request, context: context) else { continue }
            switch mapping.target.location {
            case .path: pathValues[mapping.target.name] = value
            case .querystring: query.append((mapping.target.name, value))
            case .header:
                if ProxyRequest.isSafeHeaderValue(value) { headers.append((mapping.target.name, value)) }
            }
        }
        for (name, value) in overrides.path { pathValues[name] = value }
        for (name, value) in overrides.querystring.sorted(by: { $0.key < $1.key }) {
            query.removeAll { $0.0 == name }
            query.append((name, value))
        }
        for (name, value) in overrides.header.sorted(by: { $0.key < $1.key }) where ProxyRequest.isSafeHeaderValue(value) {
            headers.removeAll { $0.0.caseInsensitiveCompare(name) == .orderedSame }
            headers.append((name, value))
        }
        var path = ""
        for part in target.path {
            switch part {
            case .literal(let text): path += text
            case .parameter(let name): path += PercentDecoding.encode(pathValues[name] ?? "")
            }
        }
        if path.isEmpty { path = "/" }
        var queryText = target.query
        for (name, value) in query {
            if !queryText.isEmpty { queryText += "&" }
            queryText += PercentDecoding.encode(name) + "=" + PercentDecoding.encode(value)
        }
        if !queryText.isEmpty { path += "?" + queryText }
        return (path, headers)
    }

    /// A non-proxy integration's answer to the client: the integration response for the backend's status and
    /// its template (chosen by the response's template selection expression over the message, the status and
    /// the backend's headers, else `$default`), after the response's `contentHandlingStrategy`. Without a matching integration response
    /// AWS fails the call ("Execution failed due to configuration error: No match for output mapping and no
    /// default output mapping configured", recorded on re:Post for WebSocket APIs).
    static func integrationResponse(
        _ integration: WebSocketRuntimeIntegration, status: Int, body: [UInt8], headers: HTTPHeaders = HTTPHeaders(), _ call: Event,
        request: RouteRequest
    ) -> Outcome {
        guard let response = integration.response(forStatus: String(status)) else {
            return .failed(
                "Execution failed due to configuration error: No match for output mapping and no default output mapping configured. "
                    + "Endpoint Response Status Code: \(status)")
        }
        var payload = body
        if let strategy = response.contentHandling {
            payload = RestPipeline.convert(body, isBinary: String(validating: body, as: UTF8.self) == nil, contentHandling: strategy)
        }
        let key = response.templateSelection.flatMap { selection in
            selection.evaluate(message: call.messageJSON, statusCode: String(status)) { name in
                let values = headers[name]
                return values.isEmpty ? nil : values.joined(separator: ",")
            }
        } ?? "$default"
        guard let template = response.templates[key] ?? response.templates["$default"] else {
            return .answered(status: status, body: payload.isEmpty ? nil : payload, headers: [])
        }
        var input = templateContext(call, request: request)
        input.body = payload
        do {
            let rendered = try template.render(context: input).body
            return .answered(status: status, body: rendered.isEmpty ? nil : Array(rendered.utf8), headers: [])
        } catch {
            return .failed("the integration response template failed: \(error)")
        }
    }
}
