import Logging
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoObservability
import PorticoRuntime

/// The data plane's per-connection handler: resolves each request to an API, stage and route,
/// proxies it to the integration over a pooled upstream connection on the same event loop, and
/// streams the response back.
///
/// Pipelining is handled here rather than by NIO's pipelining handler, which stops reading while
/// a response is outstanding and so costs two `epoll_ctl` calls per request. This handler keeps
/// reading; parts of a pipelined next request wait in `queued`, and reading pauses only when that
/// queue grows past 64 KB.
final class GatewayHandler: ChannelDuplexHandler, UpstreamDelegate {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let state: LoopState
    private let configuration: DataPlaneConfiguration
    private let logger: Logger
    private var context: ChannelHandlerContext?
    private var exchange: Exchange?
    private var queued = CircularBuffer<HTTPServerRequestPart>()
    /// Roughly how much `queued` holds (a head counts as 512 bytes), to bound pipelining.
    private var queuedBytes = 0
    private var readPending = false
    private var closeAfterResponse = false
    private var closeScheduled = false
    private var clientAddress = "-"
    /// The listener's port as text, for `X-Forwarded-Port` (made once per connection).
    private var listenerPort = "0"
    private var exchangeCounter = 0
    /// Since when the connection has had no request in flight; the loop's tick closes it after
    /// the idle timeout.
    private var idleSince: NIODeadline? = .now()
    private var logBuffer: [UInt8] = []
    /// Whether the client connection can take more (kept from writability changes, so that the
    /// hot path does not ask the channel).
    private var clientWritable = true
    /// Whether `state.inFlight` holds this handler (the tick removes it once it has no deadline).
    var inFlightRegistered = false
    /// What goes to the client next (response heads and small bodies), in one reused buffer.
    private var outbound = OutboundBytes(allocator: ByteBufferAllocator())
    /// The upstream request head of the current exchange, encoded once (and again only if a stale
    /// pooled connection makes the exchange retry); reused from exchange to exchange.
    private var upstreamHead = ByteBuffer()

    init(state: LoopState, configuration: DataPlaneConfiguration, logger: Logger) {
        self.state = state
        self.configuration = configuration
        self.logger = logger
    }

    // MARK: connection life

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        outbound = OutboundBytes(allocator: context.channel.allocator)
        clientAddress = context.channel.remoteAddress?.ipAddress ?? "-"
        listenerPort = String(context.channel.localAddress?.port ?? 0)
        state.connections[ObjectIdentifier(self)] = self
        idleSince = .now()
        state.ensureTicking(on: context.eventLoop)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        state.connections[ObjectIdentifier(self)] = nil
        state.inFlight[ObjectIdentifier(self)] = nil
        inFlightRegistered = false
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let exchange {
            abandon(exchange)
        }
        state.connections[ObjectIdentifier(self)] = nil
        context.fireChannelInactive()
    }

    /// Graceful shutdown: close now if idle, else after the current response.
    func quiesce() {
        if exchange == nil {
            context?.close(promise: nil)
        } else {
            closeAfterResponse = true
        }
    }

    /// Called by the loop's tick: times out the exchange whose deadline has passed.
    /// Returns whether the exchange still waits on its deadline.
    func checkDeadline(now: NIODeadline) -> Bool {
        guard let exchange, let deadline = exchange.deadline else { return false }
        if now >= deadline {
            exchange.deadline = nil
            integrationTimedOut(exchange)
            return false
        }
        return true
    }

    func checkIdle(now: NIODeadline) {
        if exchange == nil, let idleSince, now - idleSince >= .seconds(configuration.idleTimeoutSeconds) {
            self.idleSince = nil
            context?.close(promise: nil)
        }
    }

    func forceClose() {
        context?.close(promise: nil)
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if !queued.isEmpty || (exchange?.requestEnded ?? false) {
            queued.append(part)
            if case .body(let buffer) = part { queuedBytes += buffer.readableBytes } else { queuedBytes += 512 }
            return
        }
        process(part)
    }

    private func process(_ part: HTTPServerRequestPart) {
        switch part {
        case .head(let head):
            startExchange(head)
        case .body(let buffer):
            guard let exchange else { return }
            receiveBody(buffer, exchange)
        case .end:
            guard let exchange else { return }
            receiveEnd(exchange)
        }
    }

    func read(context: ChannelHandlerContext) {
        // Reads continue while a response is outstanding: holding them back would make NIO drop
        // and re-add read interest (two epoll_ctl calls per request). Pipelined requests are rare
        // and wait in `queued`; reading pauses only when that queue or an unsent body grows large.
        if queuedBytes > Self.maxQueuedBytes || (exchange.map { !$0.requestEnded && !canTakeMoreBody($0) } ?? false) {
            readPending = true
        } else {
            context.read()
        }
    }

    /// Back-pressure for request bodies: stop reading from the client while the backend
    /// connection cannot take more, or while too much waits for it to open.
    private func canTakeMoreBody(_ exchange: Exchange) -> Bool {
        if let upstream = exchange.upstream { return upstream.isWritable }
        return exchange.pendingBodyBytes < Self.maxPendingBodyBytes
    }

    static let maxPendingBodyBytes = 64 * 1024
    static let maxQueuedBytes = 64 * 1024

    /// Resumes reading from the client if reads were held back and may go on now.
    private func resumeReadingIfPossible() {
        guard readPending, let context else { return }
        if queuedBytes > Self.maxQueuedBytes { return }
        if let exchange, !exchange.requestEnded, !canTakeMoreBody(exchange) { return }
        readPending = false
        context.read()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Body parts go upstream unflushed; one flush per batch of reads saves a syscall per part.
        exchange?.upstream?.flush()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parserError = error as? HTTPParserError {
            // Malformed or oversized HTTP: answer once, then close (the stream cannot be trusted).
            if exchange == nil || !(exchange?.responseHeadSent ?? true) {
                let response: GatewayResponse = Self.isHeaderOverflow(parserError) ? .headersTooLarge : .badRequest
                let (head, body) = response.head(requestId: nil, keepAlive: false)
                outbound.append { buffer in
                    ResponseHeaders.write(head, chunked: false, into: &buffer)
                    if let body { buffer.writeImmutableBuffer(body) }
                }
                flushClient(thenClose: true)
                if let exchange { abandon(exchange) }
                exchange = nil
                return
            }
        }
        context.close(promise: nil)
    }

    static func isHeaderOverflow(_ error: HTTPParserError) -> Bool {
        if case .headerOverflow = error { return true }
        return false
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // Back-pressure: a slow client stops reads from its backend until it catches up.
        clientWritable = context.channel.isWritable
        exchange?.upstream?.setAutoRead(clientWritable)
        context.fireChannelWritabilityChanged()
    }

    // MARK: request

    private func startExchange(_ head: HTTPRequestHead) {
        idleSince = nil
        exchangeCounter &+= 1
        let exchange = Exchange(
            id: exchangeCounter, requestId: state.requestIds.make(), head: head, start: .now(),
            startWallMillis: WallClock.nowMillis())
        self.exchange = exchange

        if let length = head.headers.first(name: "content-length").flatMap({ Int($0) }), length > configuration.maxPayloadBytes {
            respondAndClose(.payloadTooLarge, exchange)
            return
        }
        exchange.expectsContinue = head.version.major == 1 && head.version.minor >= 1
            && head.headers["expect"].contains { HeaderName.hasPrefix($0, "100-continue") }
        defer { answerExpectation(exchange) }

        let uri = head.uri[...]
        let path: Substring
        let query: Substring
        if let questionMark = uri.firstIndex(ofByte: UInt8(ascii: "?")) {
            path = uri[..<questionMark]
            query = uri[uri.utf8.index(after: questionMark)...]
        } else {
            path = uri
            query = ""
        }

        guard let (apiId, apiPath, domain) = resolveApiAddress(head: head, path: path) else {
            exchange.deferred = .notFound
            return
        }
        guard let api = state.table.apis[apiId] else {
            // Not an HTTP API: a REST API, or nothing. HTTP API requests never come here.
            if let restApi = state.table.restApis[apiId] {
                startRestExchange(exchange, restApi, apiPath: apiPath, query: query, domain: domain)
            } else {
                exchange.deferred = .notFound
            }
            return
        }
        if api.executeApiEndpointDisabled {
            exchange.deferred = .forbidden
            return
        }
        guard let (stage, stagePath) = api.stage(forPath: apiPath) else {
            exchange.deferred = .notFound
            return
        }
        exchange.stage = stage
        exchange.stagePath = stagePath
        exchange.domainName = domain

        if let cors = stage.cors, let origin = head.headers.first(name: "origin") {
            let allowOrigin = cors.allowOrigin(for: origin)
            exchange.corsAllowOrigin = allowOrigin
            if head.method == .OPTIONS, head.headers.contains(name: "access-control-request-method") {
                // Preflight: answered by the gateway, even without an OPTIONS route.
                exchange.deferred = .preflight(allowOrigin.map { cors.preflightHeaders(allowOrigin: $0) } ?? [])
                return
            }
        }

        guard let match = stage.router.match(method: head.method.rawValue, path: stagePath) else {
            exchange.deferred = .notFound
            return
        }
        let route = match.value
        exchange.route = route
        guard let integration = route.integration else {
            // A route with no integration attached answers 404 Not Found on AWS's HTTP APIs.
            exchange.deferred = .notFound
            exchange.errorMessage = "route \(route.routeKey) has no integration"
            return
        }
        switch integration.kind {
        case .unusable(let reason):
            exchange.deferred = .internalServerError
            exchange.errorMessage = reason
            logger.warning("integration cannot be used", metadata: ["gw.request.id": "\(exchange.requestId)", "reason": "\(reason)"])
        case .httpProxy(let target):
            if integration.requestMapping.needsRequestBody {
                // The mapping reads the body: buffer it (within the payload limit) and build the
                // upstream request once it is complete.
                exchange.bufferedRequestBody = []
                exchange.deferredProxy = (match, target, integration, query)
                return
            }
            proxy(exchange, match: match, target: target, integration: integration, query: query, requestJSON: nil)
        }
    }

    private func proxy(
        _ exchange: Exchange, match: Router<RuntimeRoute>.Match, target: HTTPTarget, integration: RuntimeIntegration,
        query: Substring, requestJSON: JSONValue?
    ) {
        guard let stage = exchange.stage, let route = exchange.route else { return }
        // The mapping context holds copies of the request's parts; build it only for routes that map.
        var mappingContext: MappingContext?
        if !integration.requestMapping.isEmpty || !integration.responseMappings.isEmpty {
            var context = MappingContext(
                request: exchange.head, query: query, pathParameters: match.pathParameters, stagePath: exchange.stagePath,
                stage: stage, routeKey: route.routeKey, requestId: exchange.requestId, sourceIp: clientAddress,
                domainName: String(exchange.domainName), accountId: configuration.accountId, response: nil)
            context.requestJSON = requestJSON
            mappingContext = context
            exchange.mappingContext = context
        }
        upstreamHead.clear()
        exchange.upstreamShape = ProxyRequest.write(
            into: &upstreamHead, for: exchange.head, query: query, stagePath: exchange.stagePath, match: match,
            target: target, integration: integration, clientAddress: clientAddress, listenerPort: listenerPort,
            mappingContext: mappingContext)
        exchange.upstreamKey = UpstreamPool.Key(
            host: target.host, port: target.port,
            tlsServerName: target.scheme == .https ? (integration.tlsServerName ?? target.host) : nil)
        startIntegration(exchange, timeoutMillis: integration.timeoutMillis)
    }

    /// `Expect: 100-continue`: with a final answer already known, send it now (and close, since
    /// the client will not send the body); otherwise invite the body with `100 Continue`.
    private func answerExpectation(_ exchange: Exchange) {
        guard exchange.expectsContinue, !exchange.requestEnded, !exchange.responseHeadSent, context != nil else { return }
        if let response = exchange.deferred {
            respondAndClose(response, exchange)
        } else {
            outbound.append { $0.writeStaticString("HTTP/1.1 100 Continue\r\n\r\n") }
            flushClient()
        }
    }

    static let pathStylePrefix = "/_aws/execute-api/"

    /// Host `{apiId}.execute-api.{anything}`, or path-style `/_aws/execute-api/{apiId}/...`: the
    /// API id, the path after it and the domain name.
    private func resolveApiAddress(head: HTTPRequestHead, path: Substring) -> (String, Substring, Substring)? {
        let host = head.headers.first(name: "host") ?? ""
        if path.hasBytePrefix(Self.pathStylePrefix) {
            let rest = path[path.utf8.index(path.startIndex, offsetBy: Self.pathStylePrefix.utf8.count)...]
            let end = rest.firstIndex(ofByte: UInt8(ascii: "/")) ?? rest.endIndex
            let apiPath = rest[end...]
            return (String(rest[..<end]), apiPath.isEmpty ? "/" : apiPath, host[...])
        }
        let hostText = host[...]
        let hostName = hostText[..<(hostText.firstIndex(ofByte: UInt8(ascii: ":")) ?? hostText.endIndex)]
        guard let dot = hostName.firstIndex(ofByte: UInt8(ascii: ".")),
            hostName[dot...].hasBytePrefix(".execute-api.") || HeaderName.hasPrefix(String(hostName[dot...]), ".execute-api.")
        else {
            return nil
        }
        // API ids are lower-case; lower-case the host part only when it is not already.
        let idPart = hostName[..<dot]
        let apiId = idPart.utf8.contains(where: { $0 &- UInt8(ascii: "A") < 26 }) ? idPart.lowercased() : String(idPart)
        return (apiId, path.isEmpty ? "/" : path, hostName)
    }

    private func receiveBody(_ buffer: ByteBuffer, _ exchange: Exchange) {
        exchange.requestBytes += buffer.readableBytes
        if exchange.requestBytes > configuration.maxPayloadBytes {
            if !exchange.responseHeadSent {
                respondAndClose(.payloadTooLarge, exchange)
            } else {
                context?.close(promise: nil)
            }
            return
        }
        // Discarded when the gateway answers itself or the response is already complete.
        guard exchange.deferred == nil, !exchange.responseFinished else { return }
        if exchange.bufferedRequestBody != nil {
            exchange.bufferedRequestBody!.append(contentsOf: buffer.readableBytesView)
            return
        }
        if let upstream = exchange.upstream, exchange.upstreamHeadSent {
            upstream.writeBody(buffer)
        } else {
            exchange.pendingBody.append(buffer)
            exchange.pendingBodyBytes += buffer.readableBytes
        }
    }

    private func receiveEnd(_ exchange: Exchange) {
        exchange.requestEnded = true
        if exchange.responseFinished {
            // The response already went out (an early error, or a backend that answered before
            // reading the whole request); the connection can now carry on.
            completeExchange(keepAlive: exchange.keepAlive && !closeAfterResponse)
            return
        }
        if let response = exchange.deferred {
            respond(response, exchange)
            return
        }
        if let rest = exchange.rest {
            runRest(exchange, rest)
            return
        }
        if let (match, target, integration, query) = exchange.deferredProxy, let body = exchange.bufferedRequestBody {
            exchange.deferredProxy = nil
            exchange.bufferedRequestBody = nil
            if !body.isEmpty { exchange.pendingBody = [ByteBuffer(bytes: body)] }
            proxy(exchange, match: match, target: target, integration: integration, query: query, requestJSON: JSONValue.parse(body))
            return
        }
        if let upstream = exchange.upstream, exchange.upstreamHeadSent {
            upstream.writeEnd()
        }
    }

    // MARK: REST APIs

    /// A REST API request: its body is buffered (templates, validation and mapping need all of
    /// it) and `RestPipeline` answers once it is in.
    private func startRestExchange(_ exchange: Exchange, _ api: RestRuntimeApi, apiPath: Substring, query: Substring, domain: Substring) {
        exchange.domainName = domain
        exchange.rest = RestExchange(
            api: api, apiPath: apiPath, rawQuery: query, domainName: String(domain), head: exchange.head, ids: state.requestIds,
            startWallMillis: exchange.startWallMillis)
        exchange.bufferedRequestBody = []
    }

    private func runRest(_ exchange: Exchange, _ rest: RestExchange) {
        rest.body = exchange.bufferedRequestBody ?? []
        exchange.bufferedRequestBody = nil
        let pipeline = RestPipeline(state: state, configuration: configuration, clientAddress: clientAddress, exchange: exchange, rest: rest)
        pipeline.run { [weak self] response in
            guard let self, self.exchange === exchange, self.context != nil, !exchange.responseHeadSent else { return }
            let head = response.head(exchange: exchange, rest: rest, keepAlive: exchange.keepAlive && !self.closeAfterResponse)
            exchange.responseHeadSent = true
            exchange.responseStatus = response.status
            exchange.errorType = response.errorType
            if exchange.errorMessage == nil { exchange.errorMessage = response.errorMessage }
            exchange.responseFraming = .raw
            let sendsBody = exchange.head.method != .HEAD
            self.outbound.append { buffer in
                ResponseHeaders.write(head, chunked: false, into: &buffer)
                if sendsBody { buffer.writeBytes(response.body) }
            }
            exchange.responseBytes = response.body.count
            self.finish(exchange)
        }
    }

    // MARK: integration

    private func startIntegration(_ exchange: Exchange, timeoutMillis: Int) {
        guard let key = exchange.upstreamKey else { return }
        let start = NIODeadline.now()
        exchange.integrationStart = start
        exchange.deadline = start + .milliseconds(Int64(timeoutMillis))
        if !inFlightRegistered {
            // Registered once and left registered while requests keep coming: the tick drops it
            // when it finds no deadline (a dictionary insert per request showed in profiles).
            inFlightRegistered = true
            state.inFlight[ObjectIdentifier(self)] = self
        }
        if let connection = state.pool.takeIdle(key) {
            attach(connection, to: exchange)
        } else {
            connectUpstream(key, exchange)
        }
    }

    private func connectUpstream(_ key: UpstreamPool.Key, _ exchange: Exchange) {
        let pool = state.pool
        let id = exchange.id
        state.pool.connect(key) { [weak self] result in
            guard let self, let exchange = self.exchange, exchange.id == id, !exchange.responseHeadSent, exchange.deferred == nil else {
                // The exchange ended (answered, timed out, abandoned) while connecting: the new
                // connection never carried anything, so the pool may keep it.
                if case .success(let connection) = result { pool.release(connection) }
                return
            }
            switch result {
            case .success(let connection):
                self.attach(connection, to: exchange)
            case .failure(let error):
                self.integrationFailed(exchange, error)
            }
        }
    }

    private func attach(_ connection: UpstreamConnection, to exchange: Exchange) {
        guard let shape = exchange.upstreamShape else { return }
        exchange.upstream = connection
        connection.delegate = self
        connection.setAutoRead(clientWritable)
        connection.beginRequest(head: upstreamHead, isHead: shape.isHead, chunked: shape.chunked)
        exchange.upstreamHeadSent = true
        for buffer in exchange.pendingBody {
            connection.writeBody(buffer)
        }
        exchange.pendingBody.removeAll()
        exchange.pendingBodyBytes = 0
        if exchange.requestEnded {
            connection.writeEnd()
        } else {
            connection.flush()
        }
    }

    func upstreamReceived(_ event: BackendResponseParser.Event, from connection: UpstreamConnection) {
        guard let exchange, exchange.upstream === connection else {
            // A connection this handler has let go of: whatever it says belongs to no request.
            connection.close()
            return
        }
        exchange.receivedUpstreamPart = true
        switch event {
        case .head(let head):
            exchange.deadline = nil
            if let start = exchange.integrationStart {
                exchange.integrationLatencyNanos = (NIODeadline.now() - start).nanoseconds
            }
            exchange.integrationStatus = head.status
            if case .length(let length) = head.framing, length > configuration.maxPayloadBytes {
                // AWS's payload quota applies to responses too.
                exchange.upstream?.close()
                exchange.upstream = nil
                exchange.errorMessage = "the integration response exceeds the payload limit"
                respond(.internalServerError, exchange)
                return
            }
            guard let mappingContext = exchange.mappingContext, let mapping = exchange.route?.integration?.responseMappings[head.status] else {
                sendResponseHead(head, exchange)
                return
            }
            if mapping.needsResponseBody {
                // The mapping reads the body: hold the response back until it is complete.
                exchange.heldResponseHead = head.nioHead
                exchange.heldResponseBody = []
                return
            }
            sendMappedResponseHead(head.nioHead, exchange, mapping: mapping, context: mappingContext, responseJSON: nil)
        case .body(let buffer):
            if exchange.heldResponseBody != nil {
                exchange.responseBytes += buffer.readableBytes
                if exchange.responseBytes > configuration.maxPayloadBytes {
                    exchange.upstream?.close()
                    exchange.upstream = nil
                    exchange.heldResponseHead = nil
                    exchange.heldResponseBody = nil
                    exchange.errorMessage = "the integration response exceeds the payload limit"
                    respond(.internalServerError, exchange)
                    return
                }
                exchange.heldResponseBody!.append(contentsOf: buffer.readableBytesView)
                return
            }
            guard exchange.responseHeadSent else { return }
            exchange.responseBytes += buffer.readableBytes
            if exchange.responseBytes > configuration.maxPayloadBytes {
                exchange.responseLimitExceeded = true
                exchange.upstream?.close()
                context?.close(promise: nil)
                return
            }
            writeClientBody(buffer, exchange)
        case .end:
            if var head = exchange.heldResponseHead, let body = exchange.heldResponseBody,
                let mapping = exchange.route?.integration?.responseMappings[Int(head.status.code)],
                let mappingContext = exchange.mappingContext
            {
                exchange.heldResponseHead = nil
                exchange.heldResponseBody = nil
                head.headers.remove(name: "transfer-encoding")
                head.headers.replaceOrAdd(name: "content-length", value: String(body.count))
                sendMappedResponseHead(head, exchange, mapping: mapping, context: mappingContext, responseJSON: JSONValue.parse(body))
                if !body.isEmpty, exchange.responseFraming != .none {
                    outbound.append { $0.writeBytes(body) }
                }
            }
            guard exchange.responseHeadSent else { return }
            if let upstream = exchange.upstream {
                exchange.upstream = nil
                if upstream.responseKeepAlive && exchange.requestEnded {
                    state.pool.release(upstream)
                } else {
                    upstream.close()
                }
            }
            finish(exchange)
        }
    }

    /// How the response body goes to the client. Without a stated length an HTTP/1.1 client gets
    /// it chunked, and an HTTP/1.0 client (which cannot take chunks) gets it ended by the close.
    private func clientFraming(status: Int, lengthKnown: Bool, _ exchange: Exchange) -> ClientBodyFraming {
        if exchange.head.method == .HEAD || (100..<200).contains(status) || status == 204 || status == 304 { return .none }
        if lengthKnown { return .raw }
        if exchange.head.version.major == 1, exchange.head.version.minor == 0 {
            closeAfterResponse = true
            return .raw
        }
        return .chunked
    }

    /// The backend's head, forwarded as bytes (every response without a response mapping).
    private func sendResponseHead(_ head: BackendResponseHead, _ exchange: Exchange) {
        let lengthKnown: Bool
        if case .length = head.framing { lengthKnown = true } else { lengthKnown = false }
        let framing = clientFraming(status: head.status, lengthKnown: lengthKnown, exchange)
        exchange.responseFraming = framing
        exchange.responseStatus = head.status
        exchange.responseHeadSent = true
        let keepAlive = exchange.keepAlive && !closeAfterResponse
        outbound.append { buffer in
            ResponseHeaders.write(from: head, exchange: exchange, framing: framing, keepAlive: keepAlive, into: &buffer)
        }
    }

    /// The backend's head with the route's response mapping applied.
    private func sendMappedResponseHead(
        _ head: HTTPResponseHead, _ exchange: Exchange, mapping: ParameterMapping, context mappingContext: MappingContext,
        responseJSON: JSONValue?
    ) {
        var framing = clientFraming(status: Int(head.status.code), lengthKnown: head.headers.contains(name: "content-length"), exchange)
        var response = ResponseHeaders.make(from: head, exchange: exchange, keepAlive: exchange.keepAlive && !closeAfterResponse)
        var mappingContext = mappingContext
        mappingContext.response = head
        mappingContext.responseJSON = responseJSON
        ResponseHeaders.apply(mapping, to: &response, context: mappingContext)
        if !response.status.mayHaveResponseBody {
            // A status mapped to 204/304 must not carry the backend's body.
            framing = .none
            response.headers.remove(name: "content-length")
            response.headers.remove(name: "transfer-encoding")
        }
        exchange.responseFraming = framing
        exchange.responseStatus = Int(response.status.code)
        exchange.responseHeadSent = true
        outbound.append { ResponseHeaders.write(response, chunked: framing == .chunked, into: &$0) }
    }

    private func writeClientBody(_ buffer: ByteBuffer, _ exchange: Exchange) {
        guard exchange.responseFraming != .none, let context else { return }
        outbound.appendBody(buffer, chunked: exchange.responseFraming == .chunked) {
            context.write(wrapOutboundOut($0), promise: nil)
        }
    }

    /// Writes what is gathered for the client and flushes; with `thenClose`, closes once written.
    private func flushClient(thenClose: Bool = false) {
        guard let context else { return }
        let pending = outbound.take()
        if thenClose {
            let last = pending ?? context.channel.allocator.buffer(capacity: 0)
            context.writeAndFlush(wrapOutboundOut(last)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        // One pipeline pass (writeAndFlush) rather than two when there is something to write.
        if let pending {
            context.writeAndFlush(wrapOutboundOut(pending), promise: nil)
        } else {
            context.flush()
        }
    }

    func upstreamReadComplete(from connection: UpstreamConnection) {
        guard exchange?.upstream === connection else { return }
        flushClient()
    }

    func upstreamWritabilityChanged(from connection: UpstreamConnection) {
        guard exchange?.upstream === connection else { return }
        resumeReadingIfPossible()
    }

    func upstreamFailed(_ error: any Error, from failed: UpstreamConnection) {
        guard let exchange, exchange.upstream === failed else { return }
        let connection = exchange.upstream
        exchange.upstream = nil
        if exchange.responseHeadSent {
            // Too late for an error response: end the client connection so it sees the truncation.
            context?.close(promise: nil)
            return
        }
        if let connection, connection.isReused, !exchange.retried, !exchange.receivedUpstreamPart,
            exchange.requestBytes == 0, let key = exchange.upstreamKey
        {
            // A pooled connection the backend had already closed: retry once on a fresh one.
            exchange.retried = true
            exchange.upstreamHeadSent = false
            connectUpstream(key, exchange)
            return
        }
        integrationFailed(exchange, error)
    }

    private func integrationFailed(_ exchange: Exchange, _ error: any Error) {
        exchange.deadline = nil
        exchange.upstream?.close()
        exchange.upstream = nil
        exchange.integrationError = "\(error)"
        exchange.errorMessage = "\(error)"
        if let start = exchange.integrationStart {
            exchange.integrationLatencyNanos = (NIODeadline.now() - start).nanoseconds
        }
        logger.debug("integration failed", metadata: ["gw.request.id": "\(exchange.requestId)", "error": "\(error)"])
        respondEarly(.internalServerError, exchange)
    }

    private func integrationTimedOut(_ exchange: Exchange) {
        exchange.upstream?.close()
        exchange.upstream = nil
        exchange.integrationError = "timeout"
        exchange.errorMessage = "Integration timed out"
        if let start = exchange.integrationStart {
            exchange.integrationLatencyNanos = (NIODeadline.now() - start).nanoseconds
        }
        if exchange.responseHeadSent {
            context?.close(promise: nil)
            return
        }
        respondEarly(.integrationTimeout, exchange)
    }

    // MARK: response

    private func respond(_ response: GatewayResponse, _ exchange: Exchange) {
        guard context != nil, !exchange.responseHeadSent else { return }
        if let upstream = exchange.upstream {
            // The gateway answers instead of the backend; the connection's state is unknown.
            exchange.upstream = nil
            upstream.close()
        }
        var extra = exchange.deferredHeaders
        if case .preflight(let headers) = response { extra += headers }
        if let stage = exchange.stage, let cors = stage.cors, let origin = exchange.corsAllowOrigin, response.message != nil {
            extra += cors.responseHeaders(allowOrigin: origin)
        }
        let (head, body) = response.head(
            requestId: exchange.requestId, keepAlive: exchange.keepAlive && !closeAfterResponse,
            extraHeaders: extra)
        exchange.responseHeadSent = true
        exchange.responseStatus = Int(head.status.code)
        exchange.errorType = response.errorType
        if exchange.errorMessage == nil { exchange.errorMessage = response.message }
        exchange.responseFraming = .raw
        let sendsBody = exchange.head.method != .HEAD
        outbound.append { buffer in
            ResponseHeaders.write(head, chunked: false, into: &buffer)
            if let body, sendsBody { buffer.writeImmutableBuffer(body) }
        }
        if let body { exchange.responseBytes = body.readableBytes }
        finish(exchange)
    }

    /// Answers now, while the request body may still be arriving (it is then read and dropped).
    /// A client waiting for `100 Continue` will not send it, so that connection closes instead.
    private func respondEarly(_ response: GatewayResponse, _ exchange: Exchange) {
        exchange.deferred = response
        if !exchange.requestEnded, exchange.expectsContinue {
            closeAfterResponse = true
        }
        respond(response, exchange)
    }

    private func respondAndClose(_ response: GatewayResponse, _ exchange: Exchange) {
        closeAfterResponse = true
        exchange.requestEnded = true
        respond(response, exchange)
    }

    private func finish(_ exchange: Exchange) {
        guard context != nil else { return }
        exchange.deadline = nil
        let keepAlive = exchange.keepAlive && !closeAfterResponse
        if exchange.responseFraming == .chunked {
            outbound.append { $0.writeLastChunk() }
        }
        if !keepAlive { closeScheduled = true }
        flushClient(thenClose: !keepAlive)
        exchange.responseFinished = true
        record(exchange)
        if exchange.requestEnded {
            completeExchange(keepAlive: keepAlive)
        }
    }

    private func completeExchange(keepAlive: Bool) {
        exchange = nil
        guard keepAlive else {
            queued.removeAll()
            queuedBytes = 0
            // `finish` closes after the last write when it knew; otherwise (shutdown began after an
            // early response) close now, the response having gone out already.
            if !closeScheduled { context?.close(promise: nil) }
            return
        }
        while exchange == nil || !(exchange?.requestEnded ?? false), let part = queued.popFirst() {
            if case .body(let buffer) = part { queuedBytes -= buffer.readableBytes } else { queuedBytes -= 512 }
            process(part)
        }
        if exchange == nil {
            idleSince = .now()
        }
        resumeReadingIfPossible()
    }

    /// The client went away mid-exchange.
    private func abandon(_ exchange: Exchange) {
        exchange.rest?.call?.cancel()
        exchange.deadline = nil
        exchange.upstream?.close()
        exchange.upstream = nil
        self.exchange = nil
        queued.removeAll()
        queuedBytes = 0
    }

    private func record(_ exchange: Exchange) {
        let latencyNanos = (NIODeadline.now() - exchange.start).nanoseconds
        if let route = exchange.route {
            route.metrics.record(
                status: exchange.responseStatus, latencyNanoseconds: latencyNanos,
                integrationLatencyNanoseconds: exchange.integrationLatencyNanos)
        }
        guard let stage = exchange.stage, let accessLog = stage.accessLog else { return }
        var record = AccessLogRecord()
        // REST APIs' `$context.requestId` is the UUID of `x-amzn-RequestId`.
        record.requestId = exchange.rest?.requestId ?? exchange.requestId
        record.extendedRequestId = exchange.requestId
        record.apiId = stage.apiId
        record.stage = stage.name
        record.routeKey = exchange.route?.routeKey ?? "-"
        record.httpMethod = exchange.head.method.rawValue
        let format = accessLog.format
        if format.usesPath { record.path = stage.contextPath(exchange.stagePath) }
        record.protocol = exchange.head.version.minor == 0 ? "HTTP/1.0" : "HTTP/1.1"
        record.sourceIp = clientAddress
        if format.usesUserAgent { record.userAgent = exchange.head.headers.first(name: "user-agent") ?? "-" }
        if format.usesDomainName { record.domainName = String(exchange.domainName) }
        if format.usesDomainPrefix { record.domainPrefix = RuntimeStage.domainPrefix(String(exchange.domainName)) }
        record.accountId = configuration.accountId
        record.requestTimeEpochMillis = exchange.startWallMillis
        record.status = exchange.responseStatus
        record.responseLength = exchange.responseBytes
        record.responseLatencyMillis = Int(latencyNanos / 1_000_000)
        record.integrationLatencyMillis = exchange.integrationLatencyNanos.map { Int($0 / 1_000_000) }
        record.integrationStatus = exchange.integrationStatus
        record.integrationErrorMessage = exchange.integrationError
        record.errorMessage = exchange.errorMessage
        record.errorResponseType = exchange.errorType
        logBuffer.removeAll(keepingCapacity: true)
        format.render(record, into: &logBuffer)
        accessLog.writer.write(logBuffer)
    }
}
