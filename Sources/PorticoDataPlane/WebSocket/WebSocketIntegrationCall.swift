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

        /// A binary message (opcode 2); text messages and `$connect`/`$disconnect` are not.
        var isBinary: Bool {
            if case .message(_, _, let isBinary) = event.kind { return isBinary }
            return false
        }
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
        case .lambda(let target):
            lambda(target, integration, call, state: state, on: eventLoop, completion)
        case .http(let target, let method):
            http(target, method: method, integration, call, state: state, timeoutMillis: integration.timeoutMillis, completion)
        }
    }

    /// One request to the backend on this loop's keep-alive pool. `HTTP_PROXY` sends the message as it is;
    /// `HTTP` sends its request template's output (or the message, by `passthroughBehavior`), and its answer
    /// goes through the integration response. Both apply `requestParameters`. `connectionId` and the route
    /// key also travel as `X-Amzn-ConnectionId` / `X-Amzn-RouteKey` headers (Portico's addition, so a backend
    /// can answer through `@connections` without mapping them).
    static func http(
        _ target: HTTPTarget, method: String, _ integration: WebSocketRuntimeIntegration, _ call: Event, state: LoopState,
        timeoutMillis: Int, _ completion: @escaping (Outcome) -> Void
    ) {
        let request = RouteRequest(call.event)
        guard let prepared = preparedPayload(integration, call, request: request, completion) else { return }
        let payload = prepared.body
        let (path, mappedHeaders) = mappedRequest(target, integration, call, request: request, overrides: prepared.overrides)
        var head = ByteBuffer()
        head.writeString("\(method) \(path) HTTP/1.1\r\nHost: \(target.hostHeader)\r\n")
        head.writeString("Content-Length: \(payload.count)\r\n")
        let mappedContentType = mappedHeaders.contains { $0.0.caseInsensitiveCompare("content-type") == .orderedSame }
        if !payload.isEmpty, !mappedContentType {
            let binary = integration.templated ? String(validating: payload, as: UTF8.self) == nil : call.messageJSON == nil
            head.writeString(binary ? "Content-Type: application/octet-stream\r\n" : "Content-Type: application/json\r\n")
        }
        for (name, value) in mappedHeaders { head.writeString("\(name): \(value)\r\n") }
        head.writeString("X-Amzn-ConnectionId: \(call.event.connection.connectionId)\r\nX-Amzn-RouteKey: \(call.event.routeKey)\r\n\r\n")
        let body = payload.isEmpty ? nil : ByteBuffer(bytes: payload)
        let key = UpstreamPool.Key(host: target.host, port: target.port, tlsServerName: target.scheme == .https ? target.host : nil)
        let upstream = RestUpstreamCall(
            pool: state.pool, key: key, head: head, body: body, isHead: false, maxBytes: 10 * 1024 * 1024)
        upstream.start(timeoutMillis: timeoutMillis) { result in
            switch result {
            case .success(let response):
                let status = response.status
                if integration.templated {
                    completion(
                        integrationResponse(integration, status: status, body: response.body, headers: response.head.headers, call, request: request))
                } else {
                    completion(.answered(status: status, body: response.body.isEmpty ? nil : response.body, headers: []))
                }
            case .failure(.timedOut):
                completion(.failed("Integration timed out"))
            case .failure(.tooLarge):
                completion(.failed("the integration response exceeds the payload limit"))
            case .failure(.failed(let reason)):
                completion(.failed(reason))
            }
        }
    }

    /// `AWS` (non-proxy) to a function: the payload is the request template's output (or the message, by
    /// `passthroughBehavior`); the function's result is the backend's answer with status 200, shaped by the
    /// integration responses. A function error fails the call (Portico's choice: AWS's selection of an
    /// integration response by a WebSocket function's error is not recorded).
    static func lambda(
        _ target: LambdaTarget, _ integration: WebSocketRuntimeIntegration, _ call: Event, state: LoopState, on eventLoop: any EventLoop,
        _ completion: @escaping (Outcome) -> Void
    ) {
        let request = RouteRequest(call.event)
        guard let prepared = preparedPayload(integration, call, request: request, completion) else { return }
        let invocation = LambdaInvocation(functionName: target.functionName, payload: ByteBuffer(bytes: prepared.body))
        LambdaCall().start(invocation, invoker: state.lambda, on: eventLoop, timeoutMillis: integration.timeoutMillis) { result in
            switch result {
            case .timedOut:
                completion(.failed("Integration timed out"))
            case .failed(let reason):
                completion(.failed(reason))
            case .outcome(.rejected(let error)):
                completion(.failed("\(error.type): \(error.message)"))
            case .outcome(.completed(let response)):
                let body = Array(response.payload.readableBytesView)
                if response.functionError != nil {
                    completion(.failed(LambdaFunctionError.errorMessage(body) ?? "function error"))
                } else {
                    completion(integrationResponse(integration, status: 200, body: body, call, request: request))
                }
            }
        }
    }

    /// The integration's request payload (template output or the message) and the template's overrides; on a
    /// failure the call completes as failed and the answer is nil (one place for `HTTP` and `AWS`).
    static func preparedPayload(
        _ integration: WebSocketRuntimeIntegration, _ call: Event, request: RouteRequest, _ completion: (Outcome) -> Void
    ) -> (body: [UInt8], overrides: RenderResult.Overrides)? {
        switch requestPayload(integration, call, request: request) {
        case .failure(let failure):
            completion(.failed(failure.reason))
            return nil
        case .success(let prepared):
            return prepared
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
            selection.evaluate(message: JSONValue.parse(output), statusCode: status)
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
    static func templateContext(_ call: Event, request: RouteRequest? = nil) -> MappingTemplateContext {
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
            "identity": .object(identityContext(connection)),
        ]
        if case .message(let messageId, _, _) = event.kind { context["messageId"] = .string(messageId) }
        if let authorizer = connection.authorizer {
            // `$context.authorizer.principalId` and `$context.authorizer.{key}` of the `$connect` authorizer's
            // answer, as in the events of the connection.
            var members = authorizer.context
            if let principalId = authorizer.principalId { members["principalId"] = .string(principalId) }
            context["authorizer"] = .object(members)
        }
        // `$input.params()` of a `$connect` template: the handshake's headers and query string.
        let request = request ?? RouteRequest(event)
        return MappingTemplateContext(
            body: [], queryStringParameters: request.query.map { (name: $0.0, value: $0.1) }, headers: request.headers.map { (name: $0.0, value: $0.1) },
            context: context, stageVariables: event.stageVariables)
    }

    /// `$context.identity` (AWS, "WebSocket API mapping template reference"): the client's address and
    /// agent, and when `$connect` was signed (`AWS_IAM`) the signer as REST sets it: `accessKey`,
    /// `accountId`, `caller` and `user` (the IAM user's id, or `{roleId}:{session}` for an assumed role),
    /// `userArn`. The Cognito members are present and null (Portico has no Cognito identity pools), so
    /// they render empty as AWS renders them for a caller without one.
    static func identityContext(_ connection: WebSocketConnectionInfo) -> [String: JSONValue] {
        var identity: [String: JSONValue] = ["sourceIp": .string(connection.sourceIp)]
        if let userAgent = connection.userAgent { identity["userAgent"] = .string(userAgent) }
        if let iam = connection.iam {
            identity["accessKey"] = .string(iam.accessKeyId)
            identity["accountId"] = .string(iam.accountId)
            identity["caller"] = .string(iam.userId)
            identity["user"] = .string(iam.userId)
            identity["userArn"] = .string(iam.userArn)
            for name in ["cognitoAuthenticationProvider", "cognitoAuthenticationType", "cognitoIdentityId", "cognitoIdentityPoolId"] {
                identity[name] = .null
            }
        }
        return identity
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
