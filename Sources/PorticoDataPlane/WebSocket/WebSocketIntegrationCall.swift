import NIOCore
import PorticoLambda
import PorticoModel
import PorticoRuntime
import PorticoTemplates

/// Runs one WebSocket route's integration for one event (`$connect`, a message, `$disconnect`)
/// on the connection's event loop and reports what came back.
///
/// - `AWS_PROXY`: the event goes to the function; its proxy result's `statusCode` and `body` are
///   the answer (a `$connect` with a non-2xx status refuses the upgrade).
/// - `MOCK`: the request template chosen by the template selection expression renders
///   `{"statusCode": N}`; N selects the integration response (`/regex/` keys, then `$default`),
///   whose template (chosen by its own selection expression, `$default` otherwise) renders the
///   answer. No request template answers 200.
enum WebSocketIntegrationCall {
    enum Outcome {
        /// `body` is nil when there is nothing to send back (no response template, no body).
        case answered(status: Int, body: [UInt8]?, headers: [(String, String)])
        /// The integration failed; the reason is for the log, the client gets AWS's internal-error message.
        case failed(String)

        /// The status metrics count it under.
        var status: Int {
            switch self {
            case .answered(let status, _, _): status
            case .failed: 500
            }
        }
    }

    struct Event {
        var event: WebSocketEvent
        /// The message as JSON, when it is JSON (template selection, MOCK templates).
        var messageJSON: JSONValue?
        var messageBytes: [UInt8]
    }

    static func run(
        _ integration: WebSocketRuntimeIntegration, _ call: Event, state: LoopState, on eventLoop: any EventLoop,
        _ completion: @escaping (Outcome) -> Void
    ) {
        switch integration.kind {
        case .unusable(let reason):
            completion(.failed(reason))
        case .mock:
            completion(mock(integration, call))
        case .lambdaProxy(let target):
            var payload = ByteBufferAllocator().buffer(capacity: 1024 + call.messageBytes.count * 4 / 3)
            call.event.write(into: &payload)
            let invocation = LambdaInvocation(functionName: target.functionName, payload: payload)
            LambdaCall().start(invocation, invoker: state.lambda, on: eventLoop, timeoutMillis: integration.timeoutMillis) { result in
                completion(lambdaOutcome(result))
            }
        case .http(let target, let method):
            http(target, method: method, call, state: state, timeoutMillis: integration.timeoutMillis, completion)
        }
    }

    /// The message as the body of one request to the backend, on this loop's keep-alive pool;
    /// `connectionId` and the route key travel as headers so the backend can answer through
    /// `@connections` (AWS leaves that to `requestParameters`, which Portico does not map here yet).
    static func http(
        _ target: HTTPTarget, method: String, _ call: Event, state: LoopState, timeoutMillis: Int,
        _ completion: @escaping (Outcome) -> Void
    ) {
        var path = ""
        for part in target.path {
            switch part {
            case .literal(let text): path += text
            case .parameter: break
            }
        }
        if path.isEmpty { path = "/" }
        if !target.query.isEmpty { path += "?" + target.query }
        var head = ByteBuffer()
        head.writeString("\(method) \(path) HTTP/1.1\r\nHost: \(target.hostHeader)\r\n")
        head.writeString("Content-Length: \(call.messageBytes.count)\r\n")
        if !call.messageBytes.isEmpty {
            head.writeString(call.messageJSON == nil ? "Content-Type: application/octet-stream\r\n" : "Content-Type: application/json\r\n")
        }
        head.writeString("X-Amzn-ConnectionId: \(call.event.connection.connectionId)\r\nX-Amzn-RouteKey: \(call.event.routeKey)\r\n\r\n")
        let body = call.messageBytes.isEmpty ? nil : ByteBuffer(bytes: call.messageBytes)
        let key = UpstreamPool.Key(host: target.host, port: target.port, tlsServerName: target.scheme == .https ? target.host : nil)
        let upstream = RestUpstreamCall(
            pool: state.pool, key: key, head: head, body: body, isHead: false, maxBytes: 10 * 1024 * 1024)
        upstream.start(timeoutMillis: timeoutMillis) { result in
            switch result {
            case .success(let response):
                completion(.answered(status: Int(response.head.status.code), body: response.body.isEmpty ? nil : response.body, headers: []))
            case .failure(.timedOut):
                completion(.failed("Integration timed out"))
            case .failure(.tooLarge):
                completion(.failed("the integration response exceeds the payload limit"))
            case .failure(.failed(let reason)):
                completion(.failed(reason))
            }
        }
    }

    static func lambdaOutcome(_ result: LambdaCall.Result) -> Outcome {
        switch result {
        case .timedOut:
            return .failed("Integration timed out")
        case .failed(let reason):
            return .failed(reason)
        case .outcome(.rejected(let error)):
            return .failed("\(error.type): \(error.message)")
        case .outcome(.completed(let response)):
            let payload = Array(response.payload.readableBytesView)
            if response.functionError != nil {
                return .failed(LambdaFunctionError.errorMessage(payload) ?? "function error")
            }
            switch LambdaProxyResponse.parseV1(payload) {
            case .failure(let malformed):
                return .failed("Malformed Lambda proxy response: \(malformed.reason)")
            case .success(let proxy):
                let body = proxy.decodedBody(decodeBase64: true)
                return .answered(status: proxy.status, body: body.isEmpty ? nil : body, headers: proxy.headers)
            }
        }
    }

    static func mock(_ integration: WebSocketRuntimeIntegration, _ call: Event) -> Outcome {
        let context = templateContext(call)
        var status = "200"
        var output: [UInt8] = []
        if let template = integration.requestTemplate(for: call.messageJSON) {
            do {
                var input = context
                input.body = call.messageBytes
                output = Array(try template.render(context: input).body.utf8)
            } catch {
                return .failed("the MOCK request template failed: \(error)")
            }
            guard case .object(let members)? = JSONValue.parse(output), let code = statusText(members["statusCode"]) else {
                return .failed("the MOCK request template did not produce a statusCode")
            }
            status = code
        }
        let code = Int(status) ?? 200
        guard let response = integration.response(forStatus: status) else {
            return .answered(status: code, body: nil, headers: [])
        }
        let key = response.templateSelection.flatMap { selection in
            selection.constant ?? JSONValue.parse(output).flatMap(selection.evaluate)
        } ?? "$default"
        guard let template = response.templates[key] ?? response.templates["$default"] else {
            return .answered(status: code, body: nil, headers: [])
        }
        do {
            var input = context
            input.body = output
            let rendered = try template.render(context: input).body
            return .answered(status: code, body: rendered.isEmpty ? nil : Array(rendered.utf8), headers: [])
        } catch {
            return .failed("the integration response template failed: \(error)")
        }
    }

    /// `$context` for WebSocket templates (AWS, "WebSocket API mapping template reference").
    static func templateContext(_ call: Event) -> MappingTemplateContext {
        let event = call.event
        let connection = event.connection
        var context: [String: JSONValue] = [
            "connectionId": .string(connection.connectionId),
            "connectedAt": .integer(connection.connectedAtMillis),
            "domainName": .string(connection.domainName),
            "eventType": .string(event.eventType),
            "routeKey": .string(event.routeKey),
            "requestId": .string(event.requestId),
            "extendedRequestId": .string(event.requestId),
            "apiId": .string(connection.apiId),
            "stage": .string(connection.stage),
            "requestTimeEpoch": .integer(event.requestTimeEpochMillis),
            "identity": .object(["sourceIp": .string(connection.sourceIp)]),
        ]
        if case .message(let messageId, _, _) = event.kind { context["messageId"] = .string(messageId) }
        return MappingTemplateContext(body: [], context: context, stageVariables: event.stageVariables)
    }

    static func statusText(_ value: JSONValue?) -> String? {
        switch value {
        case .integer(let number): String(number)
        case .string(let text): text
        case .number(let number) where number == number.rounded(): String(Int(number))
        default: nil
        }
    }
}
