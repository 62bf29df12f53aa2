import Logging
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoObservability
import PorticoRuntime

/// Starting an exchange: resolving API, stage and route, building the upstream request, and the
/// request body on its way in.
extension GatewayHandler {
    // MARK: request

    func startExchange(_ head: HTTPRequestHead) {
        idleSince = nil
        exchangeCounter &+= 1
        let exchange = Exchange(
            id: exchangeCounter, requestId: state.requestIds.make(), head: head, start: .now(),
            startWallMillis: WallClock.nowMillis())
        self.exchange = exchange

        let facts = parser.facts
        if let length = facts.contentLength, length > configuration.maxPayloadBytes {
            respondAndClose(.payloadTooLarge, exchange)
            return
        }
        exchange.expectsContinue = head.version.major == 1 && head.version.minor >= 1 && facts.expectsContinue
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

        let (resolved, apiPath, domain) = resolveApi(host: facts.host ?? "", path: path)
        let api: RuntimeApi
        switch resolved {
        case .http(let found):
            api = found
        case .rest(let restApi):
            startRestExchange(exchange, restApi, apiPath: apiPath, query: query, domain: domain)
            return
        case .none:
            exchange.deferred = .notFound
            return
        }
        if api.executeApiEndpointDisabled {
            exchange.deferred = accountAdmitted(.forbidden)
            return
        }
        guard let (stage, stagePath) = api.stage(forPath: apiPath) else {
            exchange.deferred = accountAdmitted(.notFound)
            return
        }
        exchange.stage = stage
        exchange.stagePath = stagePath
        exchange.domainName = domain
        if let webSocket = stage.webSocket {
            startWebSocket(exchange, stage: stage, webSocket: webSocket, query: query)
            return
        }

        if let cors = stage.cors, let origin = head.headers.first(name: "origin") {
            let allowOrigin = cors.allowOrigin(for: origin)
            exchange.corsAllowOrigin = allowOrigin
            if head.method == .OPTIONS, head.headers.contains(name: "access-control-request-method") {
                // Preflight: answered by the gateway, even without an OPTIONS route.
                exchange.deferred = accountAdmitted(.preflight(allowOrigin.map { cors.preflightHeaders(allowOrigin: $0) } ?? []))
                return
            }
        }

        guard let match = stage.router.match(method: head.method.rawValue, path: stagePath) else {
            exchange.deferred = accountAdmitted(.notFound)
            return
        }
        let route = match.value
        exchange.route = route
        // Throttling comes before authorization (a throttled request costs no authorizer call or JWT check).
        guard state.admits(stageThrottle: route.throttle, now: exchange.throttleArrival) else {
            exchange.deferred = .tooManyRequests
            return
        }
        guard let integration = route.integration else {
            // A route with no integration attached answers 404 Not Found on AWS's HTTP APIs.
            exchange.deferred = .notFound
            exchange.errorMessage = "route \(route.routeKey) has no integration"
            return
        }
        if route.authorizer != nil || route.jwtAuthorizer != nil || route.authorizerUnusable || route.requiresSignature || route.caching != nil {
            // The authorizer (Lambda or JWT), or the SigV4 check (which hashes the body), runs once
            // the request is in; the body waits for its answer. So does a cached route's lookup
            // (GatewayHandler+Cache.swift), which comes after authorization.
            exchange.bufferedRequestBody = []
            exchange.deferredAuthorization = DeferredAuthorization(match: match, integration: integration, query: query)
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
        case .lambdaProxy(let target, let version):
            deferLambda(exchange, DeferredLambda(match: match, integration: integration, target: target, version: version, query: query))
        }
    }

    func proxy(
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
            context.authorization = exchange.httpAuthorization
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
    func answerExpectation(_ exchange: Exchange) {
        guard exchange.expectsContinue, !exchange.requestEnded, !exchange.responseHeadSent, context != nil else { return }
        if let response = exchange.deferred {
            respondAndClose(response, exchange)
        } else {
            outbound.append { $0.writeStaticString("HTTP/1.1 100 Continue\r\n\r\n") }
            flushClient()
        }
    }

    /// A request to an API that ends before a route (no stage, no route, a disabled endpoint, a CORS preflight)
    /// still counts against the account throttle: `answer`, or 429 when the account's bucket is empty.
    func accountAdmitted(_ answer: GatewayResponse) -> GatewayResponse {
        state.admits(stageThrottle: nil) ? answer : .tooManyRequests
    }

    static let pathStylePrefix = "/_aws/execute-api/"

    /// The API a request addresses, the path after the API's part of the URL and the domain name.
    ///
    /// A keep-alive client sends the same `Host` on every request, so a host-style address is parsed and
    /// looked up once per connection and runtime table: the answer is kept in ``GatewayHandler/hostMemo``
    /// (parsing the host and hashing the API id twice was 4% of a proxied request's CPU time).
    func resolveApi(host: String, path: Substring) -> (ResolvedApi, apiPath: Substring, domain: Substring) {
        let pathStyle = path.hasBytePrefix(Self.pathStylePrefix)
        if !pathStyle, let memo = hostMemo, memo.generation == state.tableGeneration, memo.host == host {
            let hostName = host[..<host.utf8.index(host.startIndex, offsetBy: memo.hostNameLength)]
            return (memo.api, path.isEmpty ? "/" : path, hostName)
        }
        guard let (apiId, apiPath, domain) = resolveApiAddress(host: host, path: path) else {
            return (.none, path, host[...])
        }
        // Not an HTTP API: a REST API, or nothing.
        let api: ResolvedApi = state.table.apis[apiId].map { .http($0) } ?? state.table.restApis[apiId].map { .rest($0) } ?? .none
        if !pathStyle {
            hostMemo = HostMemo(host: host, generation: state.tableGeneration, hostNameLength: domain.utf8.count, api: api)
        }
        return (api, apiPath, domain)
    }

    /// Host `{apiId}.execute-api.{anything}`, or path-style `/_aws/execute-api/{apiId}/...`: the
    /// API id, the path after it and the domain name.
    func resolveApiAddress(host: String, path: Substring) -> (String, Substring, Substring)? {
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

    func receiveBody(_ buffer: ByteBuffer, _ exchange: Exchange) {
        exchange.requestBytes += buffer.readableBytes
        if exchange.requestBytes > configuration.maxPayloadBytes {
            if !exchange.responseHeadSent {
                respondAndClose(.payloadTooLarge, exchange)
            } else {
                closeClient()
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

    func receiveEnd(_ exchange: Exchange) {
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
        if let webSocket = exchange.webSocket {
            exchange.webSocket = nil
            runWebSocket(exchange, webSocket)
            return
        }
        if let authorization = exchange.deferredAuthorization {
            exchange.deferredAuthorization = nil
            if exchange.route?.requiresSignature == true {
                authorizeHttpIam(exchange, authorization)
            } else if let route = exchange.route, route.authorizer == nil, route.jwtAuthorizer == nil, !route.authorizerUnusable {
                // Deferred only for the cache lookup.
                continueAfterAuthorization(exchange, authorization)
            } else {
                authorizeHttp(exchange, authorization)
            }
            return
        }
        if let lambda = exchange.deferredLambda {
            exchange.deferredLambda = nil
            invokeLambda(exchange, lambda)
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
}
