import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoRuntime

/// A cached HTTP API route's miss: where its answer goes once it is complete.
struct CacheFill {
    let key: String
    let caching: RouteCaching
    /// SUCCEED_WITH_RESPONSE_HEADER refused an invalidation: the answer carries the warning.
    let warn: Bool
    /// An authorised `Cache-Control: max-age=0`: the entry is replaced, or dropped if the answer is not stored.
    let invalidate: Bool
}

/// Response caching for HTTP API routes (a Portico extension configured by stage tags, docs/CACHING.md), with
/// REST's rules: the lookup comes after authorization; a hit answers without the integration; a miss holds the
/// integration's answer whole (within the payload limit, as a route whose response mapping reads the body) and
/// stores it if its status is below 500 and its body at most 1 MiB.
extension GatewayHandler {
    static let ignoredCacheControlWarning = RestPipeline.ignoredCacheControlWarning

    /// Looks the request up; true when it has been answered (a hit, or a refused invalidation).
    func answerFromCache(_ exchange: Exchange, _ pending: DeferredAuthorization) -> Bool {
        guard let route = exchange.route, let caching = route.caching, let stage = exchange.stage else { return false }
        let policy = caching.policy
        let head = exchange.head
        let query = policy.keyParameters.contains { parameter in
            switch parameter {
            case .query, .multiValueQuery: true
            default: false
            }
        } ? ProxyRequest.parseQuery(pending.query) : []
        let key = policy.key(method: head.method.rawValue, path: exchange.stagePath) { parameter in
            switch parameter {
            case .query(let name):
                return query.last { $0.0 == name }?.1
            case .multiValueQuery(let name):
                let values = query.filter { $0.0 == name }.map(\.1)
                return values.isEmpty ? nil : values.joined(separator: ",")
            case .header(let name):
                return head.headers[name].last
            case .multiValueHeader(let name):
                let values = head.headers[name]
                return values.isEmpty ? nil : values.joined(separator: ",")
            case .path(let name):
                return pending.match.pathParameters.last { $0.name == name }?.value
            }
        }
        var invalidate = false
        var warn = false
        if head.headers["cache-control"].contains(where: MethodCachePolicy.asksToInvalidate) {
            if !policy.requireAuthorization || mayInvalidate(exchange, pending, stage) {
                invalidate = true
            } else {
                switch policy.unauthorizedStrategy {
                case .failWith403:
                    let message =
                        "User: \(exchange.iamPrincipal?.userArn ?? "anonymous") is not authorized to perform: "
                        + "\(RestPipeline.invalidateCacheAction) on resource: \(IamSignatureCheck.maskingAccount(routeArn(exchange, stage)))"
                    exchange.errorMessage = message
                    respond(
                        .refused(
                            body: "{\"message\":\(JSONText.quoted(message))}", message: message, type: "ACCESS_DENIED",
                            amznErrorType: "AccessDeniedException"),
                        exchange)
                    return true
                case .succeedWithResponseHeader:
                    warn = true
                case .succeedWithoutResponseHeader:
                    break
                }
            }
        }
        if !invalidate, let hit = caching.cache.lookup(key, nowNanos: NIODeadline.now().uptimeNanoseconds) {
            policy.hits.increment()
            exchange.bufferedRequestBody = nil
            sendCached(hit, exchange, warn: warn)
            return true
        }
        policy.misses.increment()
        exchange.cacheFill = CacheFill(key: key, caching: caching, warn: warn, invalidate: invalidate)
        return false
    }

    /// `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}{path}`, as `AWS_IAM` routes use it.
    func routeArn(_ exchange: Exchange, _ stage: RuntimeStage) -> String {
        "arn:aws:execute-api:\(configuration.region):\(configuration.accountId):\(stage.apiId)/\(stage.name)/"
            + "\(exchange.head.method.rawValue)\(exchange.stagePath)"
    }

    /// REST's rule: a SigV4-signed request from a managed IAM user allowed `execute-api:InvalidateCache` on the
    /// route ARN.
    func mayInvalidate(_ exchange: Exchange, _ pending: DeferredAuthorization, _ stage: RuntimeStage) -> Bool {
        var principal = exchange.iamPrincipal
        if principal == nil {
            let signed = exchange.head.headers.contains(name: "authorization") || pending.query.contains("X-Amz-Signature=")
            guard signed,
                case .success(let verified) = IamSignatureCheck.verify(
                    state.table.iam, head: exchange.head, rawQuery: pending.query, body: exchange.bufferedRequestBody ?? [],
                    nowMillis: exchange.startWallMillis)
            else { return false }
            principal = verified
        }
        guard let principal else { return false }
        let sourceIp = principal.policy.readsSourceIp ? IPAddressBlock.parseAddress(clientAddress) : nil
        return principal.policy.decision(
            action: RestPipeline.invalidateCacheAction, resource: routeArn(exchange, stage), caller: principal.caller, sourceIp: sourceIp)
            == .allow
    }

    /// A hit: the stored status, headers and body, with this request's own `apigw-requestid`, CORS headers,
    /// length and `Connection`.
    func sendCached(_ hit: CachedResponse, _ exchange: Exchange, warn: Bool) {
        let keepAlive = exchange.keepAlive && !closeAfterResponse
        var headers = HTTPHeaders()
        for (name, value) in hit.headers { headers.add(name: name, value: value) }
        if let cors = exchange.stage?.cors, let origin = exchange.corsAllowOrigin {
            for (name, value) in cors.responseHeaders(allowOrigin: origin) { headers.add(name: name, value: value) }
        }
        headers.add(name: "apigw-requestid", value: exchange.requestId)
        if warn { headers.add(name: "Warning", value: Self.ignoredCacheControlWarning) }
        sendComplete(status: hit.status, headers: &headers, body: hit.body, keepAlive: keepAlive, exchange)
    }

    /// A held backend answer of a cached route without a response mapping for its status: sent with a length,
    /// then stored.
    func sendHeldResponseAndStore(_ backend: HTTPResponseHead, body: [UInt8], _ exchange: Exchange) {
        guard let fill = exchange.cacheFill else { return }
        var response = ResponseHeaders.make(from: backend, exchange: exchange, keepAlive: exchange.keepAlive && !closeAfterResponse)
        let framing = clientFraming(status: Int(response.status.code), lengthKnown: true, exchange)
        if response.status.mayHaveResponseBody {
            response.headers.replaceOrAdd(name: "content-length", value: String(body.count))
        } else {
            response.headers.remove(name: "content-length")
        }
        if fill.warn { response.headers.add(name: "Warning", value: Self.ignoredCacheControlWarning) }
        exchange.responseFraming = framing
        exchange.responseStatus = Int(response.status.code)
        exchange.responseHeadSent = true
        let sendsBody = framing != .none && !body.isEmpty
        outbound.append { buffer in
            ResponseHeaders.write(response, chunked: false, into: &buffer)
            if sendsBody { buffer.writeBytes(body) }
        }
        storeInCache(fill, status: Int(response.status.code), headers: response.headers, body: body)
    }

    /// Stores an integration's answer (status below 500: a failing backend is asked again; body within AWS's
    /// 1 MiB), without the headers each response gets afresh: framing, `Connection`, `apigw-requestid`, the
    /// warning, and CORS headers the gateway adds for the API's CORS configuration.
    func storeInCache(_ fill: CacheFill, status: Int, headers: HTTPHeaders, body: [UInt8]) {
        let cache = fill.caching.cache
        guard status < 500 else {
            if fill.invalidate { cache.invalidate(fill.key) }
            return
        }
        let cors = exchange?.stage?.cors != nil
        var kept: [(String, String)] = []
        for (name, value) in headers {
            switch HeaderName.classify(name) {
            case .connection, .transferEncoding, .hopByHop, .contentLength: continue
            default: break
            }
            let lowered = name.lowercased()
            if lowered == "apigw-requestid" || lowered == "warning" { continue }
            if cors, HeaderName.hasPrefix(name, "access-control-") { continue }
            kept.append((name, value))
        }
        let stored = cache.store(
            fill.key, CachedResponse(status: status, headers: kept, body: body), ttlNanos: fill.caching.policy.ttlNanos,
            nowNanos: NIODeadline.now().uptimeNanoseconds)
        if !stored, fill.invalidate { cache.invalidate(fill.key) }
    }
}
