import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket
import PorticoModel
import PorticoObservability
import PorticoRuntime

/// One upgraded WebSocket connection: reassembles messages (RFC 6455 fragmentation, within the
/// message limit), answers control frames, routes each message by the stage's route selection
/// expression to its integration, sends two-way answers and `@connections` posts back, enforces
/// the idle and lifetime limits, and calls `$disconnect` once however the connection ends.
///
/// Lives on its channel's event loop; `@connections` calls from other loops hop here through
/// ``WebSocketDirectory``.
final class WebSocketConnection: ChannelDuplexHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let info: WebSocketConnectionInfo
    /// The stage's current compilation (``refreshStage()``).
    private(set) var stage: RuntimeStage
    private(set) var webSocket: WebSocketRuntimeStage
    /// The runtime table `stage` was read from.
    private var table: RuntimeTable
    /// The stage metrics the connection counted itself into when it opened (the gauge goes down there).
    private var connectedMetrics: WebSocketStageMetrics?
    let limits: WebSocketLimits
    let state: LoopState
    let directory: WebSocketDirectory
    let logger: Logger
    /// Headers of the handshake, passed on to `$disconnect` as AWS does (Host, X-Forwarded-For).
    let disconnectHeaders: HTTPHeaders

    private var context: ChannelHandlerContext?
    /// The data frames of a fragmented message so far, and its opcode.
    private var fragments: [UInt8] = []
    private var fragmentOpcode: WebSocketOpcode?
    private var lastActive = NIODeadline.now()
    private(set) var lastActiveWallMillis: Int64
    private var timer: Scheduled<Void>?
    private var closeCode: WebSocketErrorCode?
    private var closeReason = ""
    private var closeSent = false
    private var disconnected = false
    /// Bytes written to the client and not yet confirmed written (back-pressure).
    private var pendingOutboundBytes = 0
    private var readPending = false

    init(
        info: WebSocketConnectionInfo, stage: RuntimeStage, webSocket: WebSocketRuntimeStage, limits: WebSocketLimits,
        state: LoopState, directory: WebSocketDirectory, logger: Logger, disconnectHeaders: HTTPHeaders
    ) {
        self.info = info
        // `stage` was read when the handshake began; a `$connect` authorizer or integration may have taken long
        // enough for a redeploy to land since. Start from the current table's compilation, so that the table
        // recorded here really is the one `stage` came from (``refreshStage()`` only looks again after a swap).
        let table = state.table
        if let latest = table.apis[info.apiId]?.stages[info.stage], let latestWebSocket = latest.webSocket {
            self.stage = latest
            self.webSocket = latestWebSocket
        } else {
            self.stage = stage
            self.webSocket = webSocket
        }
        self.table = table
        self.limits = limits
        self.state = state
        self.directory = directory
        self.logger = logger
        self.disconnectHeaders = disconnectHeaders
        self.lastActiveWallMillis = info.connectedAtMillis
    }

    // MARK: life

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        directory.add(NIOLoopBound(self, eventLoop: context.eventLoop), id: info.connectionId, apiId: info.apiId, stage: info.stage)
        connectedMetrics = webSocket.metrics
        connectedMetrics?.connected()
        scheduleCheck()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connectionEnded()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        connectionEnded()
        self.context = nil
    }

    /// Idle and lifetime limits: one timer per connection, armed for the nearer of the two.
    private func scheduleCheck() {
        guard let context else { return }
        let now = NIODeadline.now()
        let idleAt = lastActive + .seconds(limits.idleTimeoutSeconds)
        let endAt = connectedAt + .seconds(limits.maxConnectionSeconds)
        let next = min(idleAt, endAt)
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: max(next, now)) { [self] in
            self.timer = nil
            let now = NIODeadline.now()
            if now >= self.connectedAt + .seconds(self.limits.maxConnectionSeconds) {
                self.close(code: .goingAway, reason: "Connection duration exceeded")
            } else if now >= self.lastActive + .seconds(self.limits.idleTimeoutSeconds) {
                self.close(code: .goingAway, reason: "Connection idle timeout")
            } else {
                self.scheduleCheck()
            }
        }
    }

    private let connectedAt = NIODeadline.now()

    private func connectionEnded() {
        guard !disconnected else { return }
        disconnected = true
        timer?.cancel()
        timer = nil
        directory.remove(info.connectionId)
        connectedMetrics?.disconnected()
        callDisconnect()
    }

    /// `$disconnect` runs on every close, whoever closes; its answer is not sent anywhere (AWS:
    /// "$disconnect is a best-effort event").
    private func callDisconnect() {
        refreshStage()
        guard let route = webSocket.disconnect, let integration = route.integration, let eventLoop = context?.eventLoop else {
            // No `$disconnect` integration: the line is written now (status 200, Portico's choice).
            log(.init(
                eventType: "DISCONNECT", routeKey: "$disconnect", requestId: state.requestIds.make(), requestTimeMillis: WallClock.nowMillis(),
                status: 200, latencyNanos: 0))
            return
        }
        let code = closeCode.map { Int(UInt16(webSocketErrorCode: $0)) } ?? 1006
        let reason = closeReason.isEmpty ? Self.defaultReason(code) : closeReason
        let event = WebSocketEvent(
            kind: .disconnect(statusCode: code, reason: reason, headers: disconnectHeaders), routeKey: route.routeKey,
            requestId: state.requestIds.make(), requestTimeEpochMillis: WallClock.nowMillis(), connection: info,
            stageVariables: stage.stageVariables)
        WebSocketIntegrationCall.run(integration, .init(event: event, messageJSON: nil, messageBytes: []), state: state, on: eventLoop) {
            [logger, info, start = NIODeadline.now()] outcome in
            let elapsed = (NIODeadline.now() - start).nanoseconds
            route.metrics.record(status: outcome.status, latencyNanoseconds: elapsed, integrationLatencyNanoseconds: elapsed)
            var entry = WebSocketAccessLog.Entry(
                eventType: "DISCONNECT", routeKey: route.routeKey, requestId: event.requestId, requestTimeMillis: event.requestTimeEpochMillis,
                status: outcome.status, latencyNanos: elapsed, integrationLatencyNanos: elapsed)
            switch outcome {
            case .failed(let reason):
                self.webSocket.metrics?.integrationFailed()
                logger.debug("$disconnect integration failed", metadata: ["connectionId": "\(info.connectionId)", "error": "\(reason)"])
                entry.errorType = "INTEGRATION_FAILURE"
                entry.integrationError = reason
            case .answered(let status, _, _):
                entry.integrationStatus = status
            }
            self.log(entry)
        }
    }

    static func defaultReason(_ code: Int) -> String {
        switch code {
        case 1005: "Client-side close frame status not set"
        case 1006: "Connection closed abnormally"
        default: ""
        }
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard !closeSent || frame.opcode == .connectionClose else { return }
        // RFC 6455 §5.1: "a server MUST close the connection upon receiving a frame that is not masked".
        guard frame.maskKey != nil else {
            close(code: .protocolError, reason: "Unmasked frame")
            return
        }
        // RFC 6455 §5.2: "RSV1, RSV2, RSV3: MUST be 0 unless an extension is negotiated [...] If a nonzero
        // value is received and none of the negotiated extensions defines the meaning of such a nonzero
        // value, the receiving endpoint MUST _Fail the WebSocket Connection_." Portico negotiates none.
        // (NIOWebSocket's decoder leaves reserved bits to extensions, so it does not check them.)
        guard !frame.rsv1, !frame.rsv2, !frame.rsv3 else {
            close(code: .protocolError, reason: "Reserved bits set")
            return
        }
        switch frame.opcode {
        case .connectionClose:
            receiveClose(frame)
        case .ping:
            guard frame.fin else { return close(code: .protocolError, reason: "Fragmented control frame") }
            send(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData))
        case .pong:
            break
        case .text, .binary:
            guard fragmentOpcode == nil else { return close(code: .protocolError, reason: "Expected a continuation frame") }
            fragments.removeAll(keepingCapacity: true)
            fragmentOpcode = frame.opcode
            appendFragment(frame)
        case .continuation:
            guard fragmentOpcode != nil else { return close(code: .protocolError, reason: "Unexpected continuation frame") }
            appendFragment(frame)
        default:
            close(code: .protocolError, reason: "Unknown opcode")
        }
    }

    private func appendFragment(_ frame: WebSocketFrame) {
        var data = frame.unmaskedData
        guard fragments.count + data.readableBytes <= limits.maxMessageBytes else {
            // AWS: messages over 128 KB close the connection with 1009.
            close(code: .messageTooLarge, reason: "Message too big")
            return
        }
        fragments.append(contentsOf: data.readBytes(length: data.readableBytes) ?? [])
        guard frame.fin, let opcode = fragmentOpcode else { return }
        fragmentOpcode = nil
        let message = fragments
        fragments = []
        if opcode == .text, !UTF8Validation.isValid(message) {
            close(code: .dataInconsistentWithMessage, reason: "Invalid UTF-8")
            return
        }
        lastActive = .now()
        lastActiveWallMillis = WallClock.nowMillis()
        route(message, isBinary: opcode == .binary)
    }

    private func receiveClose(_ frame: WebSocketFrame) {
        var data = frame.unmaskedData
        if !closeSent, let problem = Self.closePayloadProblem(data) {
            // A close frame that breaks the RFC fails the connection with our own close frame instead of an echo.
            close(code: problem.code, reason: problem.reason)
            return
        }
        if closeCode == nil {
            closeCode = data.readableBytes >= 2 ? data.readWebSocketErrorCode() : nil
            closeReason = data.readString(length: data.readableBytes) ?? ""
            if closeCode == nil { closeCode = .unknown(1005) }
        }
        guard let context else { return }
        if closeSent {
            context.close(promise: nil)
            return
        }
        // Echo the close (RFC 6455 §5.5.1), then close the TCP connection.
        closeSent = true
        var echo = context.channel.allocator.buffer(capacity: 2)
        let code = closeCode.map { UInt16(webSocketErrorCode: $0) } ?? 1000
        if code != 1005 { echo.write(webSocketErrorCode: WebSocketErrorCode(codeNumber: Int(code))) }
        let closed = context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: echo)))
        Self.endTCP(after: closed, context: context)
    }

    /// What is wrong with a received close frame's payload, if anything (RFC 6455 §5.5.1, §7.4):
    ///
    /// - a payload of one byte: "If there is a body, the first two bytes of the body MUST be a 2-byte
    ///   unsigned integer" (1002);
    /// - a status code no endpoint may send: below 1000, 1004 (reserved), 1005, 1006 and 1015 ("MUST NOT be
    ///   set as a status code in a Close control frame by an endpoint"), other unassigned codes of the
    ///   protocol's range 1000–2999 (§7.4.2; 1012–1014 were assigned by IANA since), and above 4999 (1002);
    /// - a reason that is not UTF-8: "the body [...] MAY contain UTF-8-encoded data" and §8.1 fails the
    ///   connection on invalid UTF-8 with 1007.
    static func closePayloadProblem(_ payload: ByteBuffer) -> (code: WebSocketErrorCode, reason: String)? {
        let bytes = payload.readableBytesView
        guard !bytes.isEmpty else { return nil }
        guard bytes.count >= 2, let code = payload.getInteger(at: payload.readerIndex, as: UInt16.self) else {
            return (.protocolError, "Invalid close frame payload")
        }
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: break
        default: return (.protocolError, "Invalid close code")
        }
        guard String(validating: bytes.dropFirst(2), as: UTF8.self) != nil else {
            return (.dataInconsistentWithMessage, "Invalid UTF-8 in close reason")
        }
        return nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? NIOWebSocketError {
            // A frame over the limit is `invalidFrameLength`: AWS closes with 1009.
            if case .invalidFrameLength = error {
                close(code: .messageTooLarge, reason: "Frame too big")
            } else {
                close(code: .protocolError, reason: "Protocol error")
            }
        } else {
            context.close(promise: nil)
        }
    }

    // MARK: routing

    /// An open connection follows its stage: once the loop's runtime table has been swapped (a redeploy, an
    /// `update-stage` of throttles or access logs), the next event uses the stage's new compilation. Costs one
    /// pointer comparison per message while nothing changes; a stage that is gone leaves the connection on the
    /// compilation it had.
    private func refreshStage() {
        let current = state.table
        guard current !== table else { return }
        table = current
        if let latest = current.apis[info.apiId]?.stages[info.stage], let latestWebSocket = latest.webSocket {
            stage = latest
            webSocket = latestWebSocket
        }
    }

    private func route(_ message: [UInt8], isBinary: Bool) {
        guard let context else { return }
        refreshStage()
        webSocket.metrics?.messageReceived()
        let requestId = state.requestIds.make()
        let messageId = state.requestIds.make()
        let requestTime = WallClock.nowMillis()
        let json = isBinary ? nil : JSONValue.parse(message)
        let start = NIODeadline.now()
        /// A message the gateway answers itself: AWS's error message, the route's metrics, the access log.
        func refuse(_ text: String, status: Int, route: WebSocketRuntimeRoute?, routeKey: String, errorType: String) {
            sendError(text, requestId: requestId)
            let elapsed = (NIODeadline.now() - start).nanoseconds
            route?.metrics.record(status: status, latencyNanoseconds: elapsed, integrationLatencyNanoseconds: nil)
            log(.init(
                eventType: "MESSAGE", routeKey: routeKey, requestId: requestId, messageId: messageId, requestTimeMillis: requestTime,
                status: status, latencyNanos: elapsed, errorMessage: text, errorType: errorType))
        }
        guard let route = webSocket.route(forMessage: json) else {
            // No route and no $default: AWS answers the message with "Forbidden". Like an HTTP request that
            // matches no route, it still takes a token from the account's bucket.
            if state.admits(stageThrottle: nil) {
                refuse("Forbidden", status: 403, route: nil, routeKey: "-", errorType: "MISSING_AUTHENTICATION_TOKEN")
            } else {
                refuse(WebSocketThrottling.message, status: 429, route: nil, routeKey: "-", errorType: "THROTTLED")
            }
            return
        }
        guard state.admits(stageThrottle: route.throttle) else {
            // The route's stage throttle, then the account's, before anything else (as for HTTP API routes).
            refuse(WebSocketThrottling.message, status: 429, route: route, routeKey: route.routeKey, errorType: "THROTTLED")
            return
        }
        if route.unenforcedAccessControl != nil {
            // Access control Portico cannot check: refused (fails closed).
            refuse("Forbidden", status: 403, route: route, routeKey: route.routeKey, errorType: "ACCESS_DENIED")
            return
        }
        if route.apiKeyRequired, let refusal = WebSocketApiKeyCheck.refusal(info.apiKey, apiId: info.apiId, stage: info.stage, route: route, state: state) {
            // AWS answers a missing or invalid key with the same "Forbidden" as a message with no route.
            let type = refusal.status == 429 ? (refusal.message == "Limit Exceeded" ? "QUOTA_EXCEEDED" : "THROTTLED") : "INVALID_API_KEY"
            refuse(refusal.message, status: refusal.status, route: route, routeKey: route.routeKey, errorType: type)
            return
        }
        if let validation = route.requestValidation, !validation.accepts(json) {
            // AWS fails the request without calling the backend and sends the "Bad request body" gateway
            // response, whose message on WebSocket APIs is "Invalid request body".
            sendError("Invalid request body", requestId: requestId)
            route.metrics.record(status: 400, latencyNanoseconds: (NIODeadline.now() - start).nanoseconds, integrationLatencyNanoseconds: nil)
            return
        }
        guard let integration = route.integration else {
            webSocket.metrics?.integrationFailed()
            refuse("Internal server error", status: 500, route: route, routeKey: route.routeKey, errorType: "INTEGRATION_FAILURE")
            return
        }
        let event = WebSocketEvent(
            kind: .message(messageId: messageId, body: message, isBinary: isBinary), routeKey: route.routeKey,
            requestId: requestId, requestTimeEpochMillis: requestTime, connection: info, stageVariables: stage.stageVariables)
        WebSocketIntegrationCall.run(integration, .init(event: event, messageJSON: json, messageBytes: message), state: state, on: context.eventLoop) {
            outcome in
            // Each message counts as one request of its route (status 500 for an integration failure).
            let elapsed = (NIODeadline.now() - start).nanoseconds
            route.metrics.record(status: outcome.status, latencyNanoseconds: elapsed, integrationLatencyNanoseconds: elapsed)
            var entry = WebSocketAccessLog.Entry(
                eventType: "MESSAGE", routeKey: route.routeKey, requestId: requestId, messageId: messageId, requestTimeMillis: requestTime,
                status: outcome.status, latencyNanos: elapsed, integrationLatencyNanos: elapsed)
            switch outcome {
            case .failed(let reason):
                self.webSocket.metrics?.integrationFailed()
                self.logger.debug("WebSocket integration failed", metadata: ["connectionId": "\(self.info.connectionId)", "error": "\(reason)"])
                self.sendError("Internal server error", requestId: requestId)
                entry.errorMessage = "Internal server error"
                entry.errorType = "INTEGRATION_FAILURE"
                entry.integrationError = reason
                self.log(entry)
            case .answered(let status, let body, _):
                entry.integrationStatus = status
                self.log(entry)
                guard route.twoWay, let body else { return }
                self.sendMessage(body)
            }
        }
    }

    /// The event's access-log line, when the stage logs.
    private func log(_ entry: WebSocketAccessLog.Entry) {
        guard stage.accessLog != nil else { return }
        WebSocketAccessLog.write(entry, connection: info, stage: stage, keys: state.table.usagePlans, buffer: &state.webSocketLogBuffer)
    }

    /// AWS's error message to the client: `{"message": ..., "connectionId": ..., "requestId": ...}`
    /// (e.g. aws-samples/simple-websockets-chat-app#46).
    private func sendError(_ message: String, requestId: String) {
        let text = "{\"message\": \"\(message)\", \"connectionId\":\"\(info.connectionId)\", \"requestId\":\"\(requestId)\"}"
        sendMessage(Array(text.utf8))
    }

    // MARK: outbound

    /// Sends one message: text when it is valid UTF-8, binary otherwise. Returns false when the
    /// connection cannot take it (closing, or too far behind).
    @discardableResult
    func sendMessage(_ bytes: [UInt8]) -> Bool {
        guard let context, !closeSent else { return false }
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        let opcode: WebSocketOpcode = UTF8Validation.isValid(bytes) ? .text : .binary
        lastActive = .now()
        lastActiveWallMillis = WallClock.nowMillis()
        return send(WebSocketFrame(fin: true, opcode: opcode, data: buffer))
    }

    /// What became of a broadcast or group message for this connection.
    enum SharedSend {
        case sent
        /// Not queued: the client is too far behind (the slow-client rule).
        case dropped
        /// The connection is closing.
        case gone
    }

    /// A broadcast or group message (Portico's extension), whose payload buffer is shared by every
    /// connection it goes to. The slow-client rule: while `--websocket-max-buffer-bytes` or more wait to be
    /// written to this client, the message is dropped for it, not queued, and the connection stays open
    /// (it gets later messages once it catches up); so a broadcast queues at most one message beyond that
    /// limit per connection, however many are sent. Direct sends (`@connections`, two-way answers) keep
    /// the rule of ``send(_:closingWhenFarBehind:)``.
    func sendShared(_ data: ByteBuffer, opcode: WebSocketOpcode) -> SharedSend {
        guard context != nil, !closeSent else { return .gone }
        guard pendingOutboundBytes < limits.maxOutboundBufferBytes else { return .dropped }
        lastActive = .now()
        lastActiveWallMillis = WallClock.nowMillis()
        return send(WebSocketFrame(fin: true, opcode: opcode, data: data), closingWhenFarBehind: false) ? .sent : .gone
    }

    @discardableResult
    private func send(_ frame: WebSocketFrame, closingWhenFarBehind: Bool = true) -> Bool {
        guard let context else { return false }
        let size = frame.data.readableBytes
        if closingWhenFarBehind, pendingOutboundBytes + size > limits.maxOutboundBufferBytes * 4 {
            // The client reads far slower than it is sent to: give up on it rather than buffer without bound.
            close(code: .policyViolation, reason: "Client too slow")
            return false
        }
        pendingOutboundBytes += size
        context.writeAndFlush(wrapOutboundOut(frame)).assumeIsolated().whenComplete { [self] _ in
            self.pendingOutboundBytes -= size
            self.resumeReadingIfPossible()
        }
        return true
    }

    /// Closes with a close frame (RFC 6455 §7.1.2) and then the TCP connection.
    func close(code: WebSocketErrorCode, reason: String) {
        guard let context else { return }
        if closeCode == nil {
            closeCode = code
            closeReason = reason
        }
        guard !closeSent else { return }
        closeSent = true
        var data = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        data.write(webSocketErrorCode: code)
        data.writeString(reason)
        let closed = context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
        Self.endTCP(after: closed, context: context)
    }

    /// How long a client has to close its side once Portico's close frame is out.
    static let closeGraceSeconds: Int64 = 5

    /// Ends the TCP connection once our close frame is written (RFC 6455 §7.1.1: "the server SHOULD close the
    /// underlying TCP connection first"). Only the output side is closed at first (a FIN behind the close
    /// frame) while whatever the client still sends is read and dropped; the socket closes when the client
    /// closes its side, or after ``closeGraceSeconds``. Closing the whole socket at once with unread bytes in
    /// it (the rest of an oversized frame, frames sent behind a close) makes the kernel answer with a reset,
    /// which can destroy the close frame before the client reads it, leaving it with 1006 instead of the code.
    static func endTCP(after written: EventLoopFuture<Void>, context: ChannelHandlerContext) {
        let channel = context.channel
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        written.whenComplete { result in
            guard case .success = result else {
                channel.close(promise: nil)
                return
            }
            let halfClosed = channel.eventLoop.makePromise(of: Void.self)
            halfClosed.futureResult.whenFailure { _ in channel.close(promise: nil) }
            loopBound.value.close(mode: .output, promise: halfClosed)
            channel.eventLoop.scheduleTask(in: .seconds(closeGraceSeconds)) { channel.close(promise: nil) }
        }
    }

    // MARK: back-pressure

    func read(context: ChannelHandlerContext) {
        // A client that does not read what it is sent is not read from either, so it cannot keep
        // two-way routes producing answers that pile up here.
        if pendingOutboundBytes > limits.maxOutboundBufferBytes {
            readPending = true
        } else {
            context.read()
        }
    }

    private func resumeReadingIfPossible() {
        guard readPending, pendingOutboundBytes <= limits.maxOutboundBufferBytes, let context else { return }
        readPending = false
        context.read()
    }
}
