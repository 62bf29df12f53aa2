import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOWebSocket
import PorticoModel
import PorticoRuntime

/// What a request to a WebSocket API's stage is, once its head is read.
enum WebSocketExchange {
    /// A handshake: `$connect` runs when the request has ended, then the upgrade or a refusal.
    case upgrade(stage: RuntimeStage, webSocket: WebSocketRuntimeStage, query: String, key: String)
    /// `@connections/{connectionId}` (POST, GET, DELETE), the callback API backends push with.
    case connections(stage: RuntimeStage, connectionId: String)
    /// Portico's extensions beside `@connections`: `@broadcast` and `@groups/{group}[/{connectionId}]`.
    case broadcast(stage: RuntimeStage, WebSocketBroadcastCall)
}

extension GatewayHandler: RemovableChannelHandler {}

/// WebSocket APIs on the data plane: the handshake at `{stage}` (host-style and path-style URLs),
/// `$connect` deciding whether the upgrade happens, the switch of the connection's pipeline to
/// NIOWebSocket's frame codec and a ``WebSocketConnection``, and the `@connections` API.
extension GatewayHandler {
    func startWebSocket(_ exchange: Exchange, stage: RuntimeStage, webSocket: WebSocketRuntimeStage, query: Substring) {
        let path = exchange.stagePath
        if startBroadcastCall(exchange, stage: stage, path: path) { return }
        let connectionsPrefix = "/@connections/"
        if path.hasPrefix(connectionsPrefix) {
            let raw = path.dropFirst(connectionsPrefix.count)
            guard !raw.isEmpty, !raw.contains("/"), let id = String(raw).removingPercentEncoding else {
                exchange.deferred = .notFound
                return
            }
            exchange.bufferedRequestBody = []
            exchange.webSocket = .connections(stage: stage, connectionId: id)
            return
        }
        guard path == "/" || path.isEmpty else {
            exchange.deferred = .notFound
            return
        }
        let headers = exchange.head.headers
        let upgrade = headers[canonicalForm: "upgrade"].contains { $0.lowercased() == "websocket" }
        let connection = headers[canonicalForm: "connection"].contains { $0.lowercased() == "upgrade" }
        guard exchange.head.method == .GET, upgrade, connection else {
            // Portico's answer to a plain HTTP request on a WebSocket endpoint (AWS's is not recorded).
            exchange.deferred = .json(.upgradeRequired, body: #"{"message":"Upgrade Required"}"#, amznErrorType: nil)
            return
        }
        guard headers.first(name: "sec-websocket-version") == "13" else {
            // RFC 6455 §4.2.2 (and §4.4): a version the server does not speak (or none) is refused
            // "with an appropriate HTTP error code (such as 426 Upgrade Required) and a
            // |Sec-WebSocket-Version| header field indicating the version(s) the server is capable of".
            exchange.deferredHeaders.append(("Sec-WebSocket-Version", "13"))
            exchange.deferred = .json(.upgradeRequired, body: #"{"message":"Upgrade Required"}"#, amznErrorType: nil)
            return
        }
        // RFC 6455 §4.2.1 item 5: the key is a base64-encoded 16-byte value; otherwise 400.
        guard let key = headers.first(name: "sec-websocket-key"), Data(base64Encoded: key)?.count == 16 else {
            exchange.deferred = .badRequest
            return
        }
        exchange.webSocket = .upgrade(stage: stage, webSocket: webSocket, query: String(query), key: key)
    }

    func runWebSocket(_ exchange: Exchange, _ webSocketExchange: WebSocketExchange) {
        switch webSocketExchange {
        case .upgrade(let stage, let webSocket, let query, let key):
            connectWebSocket(exchange, stage: stage, webSocket: webSocket, query: query, key: key)
        case .connections(let stage, let connectionId):
            answerConnections(exchange, stage: stage, connectionId: connectionId)
        case .broadcast(let stage, let call):
            answerBroadcastCall(exchange, stage: stage, call: call)
        }
    }

    // MARK: handshake and $connect

    private func connectWebSocket(_ exchange: Exchange, stage: RuntimeStage, webSocket: WebSocketRuntimeStage, query: String, key: String) {
        guard context != nil else { return }
        let head = exchange.head
        let traceId = head.headers.first(name: "x-amzn-trace-id") ?? state.requestIds.makeTraceId(epochSeconds: exchange.startWallMillis / 1000)
        let forwarded = LambdaProxyRequest.forwardedHeaders(head.headers, clientAddress: clientAddress, port: listenerPort, traceId: traceId)
        var info = WebSocketConnectionInfo(
            connectionId: WebSocketConnectionId.make(), apiId: stage.apiId, stage: stage.name, domainName: String(exchange.domainName),
            sourceIp: clientAddress, userAgent: head.headers.first(name: "user-agent"), connectedAtMillis: exchange.startWallMillis)
        info.accountId = configuration.accountId
        exchange.webSocketHandshake = WebSocketHandshake(info: info)
        if !admitsConnect(webSocket) {
            // Throttled: 429 before authorization, as HTTP API routes are (Portico's order; AWS does not say).
            let elapsed = (NIODeadline.now() - exchange.start).nanoseconds
            webSocket.connect?.metrics.record(status: 429, latencyNanoseconds: elapsed, integrationLatencyNanoseconds: nil)
            respond(.tooManyRequests, exchange)
            return
        }
        if let unenforced = webSocket.connect?.unenforcedAccessControl {
            // Fail closed: an access check Portico cannot make yet refuses the connection.
            exchange.errorMessage = "$connect has \(unenforced), not enforced on WebSocket APIs yet"
            logger.warning("WebSocket connection refused", metadata: ["gw.request.id": "\(exchange.requestId)", "reason": "\(exchange.errorMessage ?? "")"])
            respond(.forbidden, exchange)
            return
        }
        if !webSocket.apiKeyFromAuthorizer { info.apiKey = head.headers.first(name: "x-api-key") }
        if let route = webSocket.connect, route.requiresIam,
            let refusal = authorizeConnectIam(exchange, stage: stage, query: query[...], principal: &info.iam)
        {
            exchange.errorMessage = refusal.message
            let elapsed = (NIODeadline.now() - exchange.start).nanoseconds
            route.metrics.record(status: 403, latencyNanoseconds: elapsed, integrationLatencyNanoseconds: 0)
            respond(refusal, exchange)
            return
        }
        if let route = webSocket.connect, let authorizer = route.authorizer {
            authorizeConnect(
                exchange, stage: stage, route: route, authorizer: authorizer, info: info, headers: forwarded, query: query,
                apiKeyFromAuthorizer: webSocket.apiKeyFromAuthorizer
            ) {
                info in
                self.runConnect(exchange, info: info, stage: stage, webSocket: webSocket, query: query, key: key, forwarded: forwarded)
            }
            return
        }
        runConnect(exchange, info: info, stage: stage, webSocket: webSocket, query: query, key: key, forwarded: forwarded)
    }

    /// `$connect`'s integration (the caller is authorized by now), then the upgrade or a refusal.
    private func runConnect(
        _ exchange: Exchange, info: WebSocketConnectionInfo, stage: RuntimeStage, webSocket: WebSocketRuntimeStage, query: String, key: String,
        forwarded: HTTPHeaders
    ) {
        guard let context else { return }
        exchange.webSocketHandshake?.info = info
        if let route = webSocket.connect, route.apiKeyRequired,
            let refusal = WebSocketApiKeyCheck.refusal(info.apiKey, apiId: stage.apiId, stage: stage.name, route: route, state: state)
        {
            // After authorization, as on AWS; the handshake answers 403 Forbidden or 429.
            exchange.errorMessage = "API key refused: \(refusal.message)"
            let elapsed = (NIODeadline.now() - exchange.start).nanoseconds
            route.metrics.record(status: refusal.status, latencyNanoseconds: elapsed, integrationLatencyNanoseconds: 0)
            respond(
                .json(HTTPResponseStatus(statusCode: refusal.status), body: "{\"message\":\"\(refusal.message)\"}", amznErrorType: nil), exchange)
            return
        }
        if let route = webSocket.connect, let missing = Self.missingParameters(route, headers: exchange.head.headers, query: query) {
            // Required route request parameters (AWS: request validation fails the request without
            // calling the backend). AWS's WebSocket answer is not recorded: Portico answers as REST's
            // BAD_REQUEST_PARAMETERS does, 400 `Missing required request parameters: [...]`.
            let message = "Missing required request parameters: [\(missing.joined(separator: ", "))]"
            exchange.errorMessage = message
            let elapsed = (NIODeadline.now() - exchange.start).nanoseconds
            route.metrics.record(status: 400, latencyNanoseconds: elapsed, integrationLatencyNanoseconds: nil)
            respond(.json(.badRequest, body: "{\"message\":\(JSONText.quoted(message))}", amznErrorType: "BadRequestException"), exchange)
            return
        }
        guard let route = webSocket.connect, let integration = route.integration else {
            // No $connect route: the connection is accepted as it is.
            upgradeToWebSocket(exchange, info: info, stage: stage, webSocket: webSocket, key: key, subprotocol: nil, headers: forwarded)
            return
        }
        let event = WebSocketEvent(
            kind: .connect(headers: forwarded, rawQuery: query[...]), routeKey: route.routeKey, requestId: exchange.requestId,
            requestTimeEpochMillis: exchange.startWallMillis, connection: info, stageVariables: stage.stageVariables)
        WebSocketIntegrationCall.run(integration, .init(event: event, messageJSON: nil, messageBytes: []), state: state, on: context.eventLoop) {
            outcome in
            let elapsed = (NIODeadline.now() - exchange.start).nanoseconds
            route.metrics.record(status: outcome.status, latencyNanoseconds: elapsed, integrationLatencyNanoseconds: elapsed)
            exchange.webSocketHandshake?.integrationLatencyNanos = elapsed
            if case .answered(let status, _, _) = outcome {
                exchange.webSocketHandshake?.integrationStatus = status
            } else {
                webSocket.metrics?.integrationFailed()
            }
            guard self.exchange === exchange, !exchange.responseHeadSent else { return }
            switch outcome {
            case .answered(let status, _, let headers) where (200..<300).contains(status):
                let subprotocol = headers.first { $0.0.lowercased() == "sec-websocket-protocol" }?.1
                self.upgradeToWebSocket(exchange, info: info, stage: stage, webSocket: webSocket, key: key, subprotocol: subprotocol, headers: forwarded)
            case .answered(let status, let body, _):
                // $connect refused: the handshake fails with the integration's status (AWS: "a
                // non-2xx status code from the $connect integration rejects the connection").
                let text = body.map { String(decoding: $0, as: UTF8.self) } ?? #"{"message":"Forbidden"}"#
                exchange.errorMessage = "$connect answered \(status)"
                self.respond(.json(HTTPResponseStatus(statusCode: status), body: text, amznErrorType: nil), exchange)
            case .failed(let reason):
                exchange.integrationError = reason
                exchange.errorMessage = reason
                self.respond(.json(.internalServerError, body: #"{"message": "Internal server error"}"#, amznErrorType: nil), exchange)
            }
        }
    }

    /// The names of `route`'s required parameters the handshake lacks or leaves blank (as REST's request
    /// validation requires them "included and not blank"); nil when none is missing.
    static func missingParameters(_ route: WebSocketRuntimeRoute, headers: HTTPHeaders, query: String) -> [String]? {
        guard !route.requiredParameters.isEmpty else { return nil }
        let parameters = ProxyRequest.parseQuery(query[...])
        let missing = route.requiredParameters.filter { parameter in
            switch parameter {
            case .header(let name):
                return !headers[name].contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            case .querystring(let name):
                return !parameters.contains { $0.0 == name && !$0.1.isEmpty }
            }
        }.map(\.name)
        return missing.isEmpty ? nil : missing
    }

    /// RFC 6455 §4.2.2: `Sec-WebSocket-Accept` is base64(SHA-1(key + GUID)).
    static func acceptValue(forKey key: String) -> String {
        let digest = Insecure.SHA1.hash(data: Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))
        return Data(digest).base64EncodedString()
    }

    /// Answers 101 and hands the connection to NIOWebSocket's codec and a ``WebSocketConnection``;
    /// this handler leaves the pipeline.
    private func upgradeToWebSocket(
        _ exchange: Exchange, info: WebSocketConnectionInfo, stage: RuntimeStage, webSocket: WebSocketRuntimeStage, key: String,
        subprotocol: String?, headers: HTTPHeaders
    ) {
        guard let context else { return }
        var response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
        response += Self.acceptValue(forKey: key) + "\r\n"
        if let subprotocol { response += "Sec-WebSocket-Protocol: \(subprotocol)\r\n" }
        response += "\r\n"
        exchange.responseHeadSent = true
        exchange.responseStatus = 101
        outbound.append { $0.writeString(response) }
        // Now, not at the end of the batch: this handler leaves the pipeline below, and the 101 must be
        // on the wire before any frame.
        flushClientNow()
        if let handshake = exchange.webSocketHandshake {
            // The connection is open: its CONNECT line, with the status `$connect` answered (200 without a
            // `$connect` route; AWS's value for an accepted connection is a guess).
            logConnect(exchange, handshake: handshake, stage: stage, status: handshake.integrationStatus ?? 200)
        }
        self.exchange = nil
        var disconnectHeaders = HTTPHeaders()
        for name in ["Host", "X-Forwarded-For"] {
            if let value = headers.first(name: name) { disconnectHeaders.add(name: name, value: value) }
        }
        let limits = configuration.webSocket
        let connection = WebSocketConnection(
            info: info, stage: stage, webSocket: webSocket, limits: limits, state: state, directory: state.webSockets, logger: logger,
            disconnectHeaders: disconnectHeaders)
        do {
            let operations = context.pipeline.syncOperations
            try operations.addHandlers(
                [WebSocketFrameEncoder(), ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: limits.maxFrameBytes)), connection],
                position: .last)
            if inbound.readableBytes > 0 {
                // Frames the client sent right behind its handshake.
                let early = inbound
                inbound = noBytes
                context.fireChannelRead(NIOAny(early))
            }
            operations.removeHandler(context: context, promise: nil)
        } catch {
            context.close(promise: nil)
        }
    }

    // MARK: @connections

    /// `POST` sends the body to the connection, `GET` describes it, `DELETE` closes it; an unknown
    /// or closed connection (or one of another API or stage) is `410 GoneException`, as on AWS.
    private func answerConnections(_ exchange: Exchange, stage: RuntimeStage, connectionId: String) {
        guard let context else { return }
        let method = exchange.head.method
        let body = exchange.bufferedRequestBody ?? []
        exchange.bufferedRequestBody = nil
        guard method == .POST || method == .GET || method == .DELETE else {
            respond(.notFound, exchange)
            return
        }
        // IAM first, as on AWS: an unsigned caller learns nothing about the connection.
        if let refusal = authorizeConnections(exchange, stage: stage, body: body) {
            exchange.errorMessage = refusal.message
            respond(refusal, exchange)
            return
        }
        if method == .POST, body.count > configuration.webSocket.maxMessageBytes {
            respond(
                .json(.payloadTooLarge, body: #"{"message":"Message too large"}"#, amznErrorType: "PayloadTooLargeException"), exchange)
            return
        }
        guard let bound = state.webSockets.find(connectionId) else {
            respond(.gone, exchange)
            return
        }
        let apiId = stage.apiId
        let stageName = stage.name
        let answer: EventLoopFuture<GatewayResponse> = bound.eventLoop.submit {
            let connection = bound.value
            guard connection.info.apiId == apiId, connection.info.stage == stageName else { return .gone }
            switch method {
            case .POST:
                return connection.sendMessage(body) ? .json(.ok, body: nil, amznErrorType: nil) : .gone
            case .DELETE:
                connection.close(code: .normalClosure, reason: "")
                return .json(.noContent, body: nil, amznErrorType: nil)
            default:
                return .json(.ok, body: Self.connectionJSON(connection.info, lastActiveMillis: connection.lastActiveWallMillis), amznErrorType: nil)
            }
        }
        answer.hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
            guard self.exchange === exchange, !exchange.responseHeadSent else { return }
            switch result {
            case .success(let response): self.respond(response, exchange)
            case .failure: self.respond(.gone, exchange)
            }
        }
    }

    /// GetConnection's answer, with the model's wire names (`connectedAt`, `identity.sourceIp`, ...) and
    /// times as ISO 8601 (its `timestampFormat`); `userAgent` is required by the model, so always present.
    static func connectionJSON(_ info: WebSocketConnectionInfo, lastActiveMillis: Int64) -> String {
        var json = JSONBytes(buffer: ByteBuffer())
        json.beginObject()
        json.member("connectedAt", iso8601(info.connectedAtMillis))
        json.key("identity")
        json.beginObject()
        json.member("sourceIp", info.sourceIp)
        json.member("userAgent", info.userAgent ?? "")
        json.endObject()
        json.member("lastActiveAt", iso8601(lastActiveMillis))
        json.endObject()
        return String(buffer: json.buffer)
    }

    static func iso8601(_ millis: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}
