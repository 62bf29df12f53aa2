import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PorticoLambda
import PorticoModel
import PorticoRuntime

/// What an HTTP API Lambda proxy request needs once its body is in.
struct DeferredLambda {
    var match: Router<RuntimeRoute>.Match
    var integration: RuntimeIntegration
    var target: LambdaTarget
    var version: LambdaPayloadVersion
    var query: Substring
}

/// HTTP API `AWS_PROXY` integrations: the body is buffered, the request becomes a payload 1.0 or
/// 2.0 event, and the function's answer becomes the response.
///
/// Outcomes, as HTTP APIs answer them (AWS_FACTS L4 and AWS's "Troubleshooting issues with HTTP API
/// Lambda integrations"): a refused invoke, a function error and a malformed result are all
/// `500 {"message":"Internal Server Error"}`; the integration timeout is the same
/// `503 {"message":"Service Unavailable"}` as for HTTP backends.
extension GatewayHandler {
    func deferLambda(_ exchange: Exchange, _ deferred: DeferredLambda) {
        exchange.bufferedRequestBody = []
        exchange.deferredLambda = deferred
    }

    func invokeLambda(_ exchange: Exchange, _ deferred: DeferredLambda) {
        guard let context, let stage = exchange.stage, let route = exchange.route else { return }
        let body = exchange.bufferedRequestBody ?? []
        exchange.bufferedRequestBody = nil
        var (request, traceId) = lambdaProxyRequest(
            exchange, stage: stage, route: route, query: deferred.query, pathParameters: deferred.match.pathParameters, body: body)
        request.context.httpAuthorizer = exchange.httpAuthorization
        request.context.iam = exchange.iamPrincipal
        var payload = context.channel.allocator.buffer(capacity: 1024 + body.count * 4 / 3)
        switch deferred.version {
        case .v1: LambdaProxyEvent.writeV1(request, isHttpApi: true, into: &payload)
        case .v2: LambdaProxyEvent.writeV2(request, into: &payload)
        }
        let invocation = LambdaInvocation(
            functionName: deferred.target.functionName, payload: payload, traceId: traceId)
        let call = LambdaCall()
        exchange.lambdaCall = call
        exchange.integrationStart = call.startedAt
        call.start(invocation, invoker: state.lambda, on: context.eventLoop, timeoutMillis: deferred.integration.timeoutMillis) {
            result in
            // A strong capture: the call always completes (its timeout sees to that), and a weak
            // one would give the handler a side table, slowing every retain and release of it.
            guard self.exchange === exchange, !exchange.responseHeadSent else { return }
            exchange.lambdaCall = nil
            exchange.integrationLatencyNanos = (NIODeadline.now() - call.startedAt).nanoseconds
            self.answerLambda(exchange, result, version: deferred.version)
        }
    }

    /// An HTTP API request as a Lambda proxy request (the integration's event, and the base of a
    /// `REQUEST` authorizer's): forwarded headers added, and the trace id the invocation carries.
    func lambdaProxyRequest(
        _ exchange: Exchange, stage: RuntimeStage, route: RuntimeRoute, query: Substring, pathParameters: [(name: String, value: String)],
        body: [UInt8]
    ) -> (LambdaProxyRequest, traceId: String) {
        var head = exchange.head
        let traceId = head.headers.first(name: "x-amzn-trace-id") ?? state.requestIds.makeTraceId(epochSeconds: exchange.startWallMillis / 1000)
        head.headers = LambdaProxyRequest.forwardedHeaders(head.headers, clientAddress: clientAddress, port: listenerPort, traceId: traceId)
        let routeKey = route.routeKey
        let routePath = routeKey == "$default" ? routeKey : String(routeKey.drop { $0 != " " }.dropFirst())
        let fullPath = stage.contextPath(exchange.stagePath)
        let request = LambdaProxyRequest(
            head: head, path: fullPath, contextPath: fullPath, rawQuery: query, resource: routePath, routeKey: routeKey,
            pathParameters: pathParameters, stageVariables: stage.stageVariables,
            context: .init(
                accountId: configuration.accountId, apiId: stage.apiId, deploymentId: nil, domainName: String(exchange.domainName),
                extendedRequestId: exchange.requestId, requestId: exchange.requestId, stage: stage.name,
                requestTimeEpochMillis: exchange.startWallMillis, sourceIp: clientAddress, resourceId: route.routeId,
                resourcePath: routePath),
            body: body, bodyIsBinary: !LambdaProxyEvent.isTextForHttpApi(contentType: head.headers.first(name: "content-type")))
        return (request, traceId)
    }

    private func answerLambda(_ exchange: Exchange, _ result: LambdaCall.Result, version: LambdaPayloadVersion) {
        switch result {
        case .timedOut:
            exchange.integrationError = "timeout"
            exchange.errorMessage = "Integration timed out"
            respond(.integrationTimeout, exchange)
        case .failed(let reason):
            lambdaFailed(exchange, integrationError: reason)
        case .outcome(.rejected(let error)):
            exchange.integrationStatus = error.statusCode
            lambdaFailed(exchange, integrationError: "\(error.type): \(error.message)")
        case .outcome(.completed(let response)):
            exchange.integrationStatus = response.statusCode
            exchange.integrationRequestId = response.requestId
            let payload = Array(response.payload.readableBytesView)
            if response.functionError != nil {
                lambdaFailed(exchange, integrationError: LambdaFunctionError.errorMessage(payload) ?? "function error")
                return
            }
            let parsed = version == .v1 ? LambdaProxyResponse.parseV1(payload) : LambdaProxyResponse.parseV2(payload)
            switch parsed {
            case .failure(let malformed):
                lambdaFailed(exchange, integrationError: "Malformed Lambda proxy response: \(malformed.reason)")
            case .success(let proxy):
                sendLambdaResponse(proxy, exchange)
            }
        }
    }

    private func lambdaFailed(_ exchange: Exchange, integrationError: String) {
        exchange.integrationError = integrationError
        exchange.errorMessage = integrationError
        logger.debug("Lambda integration failed", metadata: ["gw.request.id": "\(exchange.requestId)", "error": "\(integrationError)"])
        respond(.internalServerError, exchange)
    }

    /// The function's response, with the gateway's own headers (CORS per the API, request id,
    /// length) and without hop-by-hop or framing headers the function may have set.
    func sendLambdaResponse(_ proxy: LambdaProxyResponse, _ exchange: Exchange) {
        // HTTP APIs have no binaryMediaTypes: `isBase64Encoded: true` always means bytes.
        let body = proxy.decodedBody(decodeBase64: true)
        let keepAlive = exchange.keepAlive && !closeAfterResponse
        var headers = HTTPHeaders()
        let cors = exchange.stage?.cors
        for (name, value) in proxy.headers {
            switch HeaderName.classify(name) {
            case .connection, .transferEncoding, .hopByHop, .contentLength: continue
            default: break
            }
            if cors != nil, HeaderName.hasPrefix(name, "access-control-") { continue }
            guard LambdaProxyResponse.isSendable(name: name, value: value) else { continue }
            headers.add(name: name, value: value)
        }
        if let fill = exchange.cacheFill {
            storeInCache(fill, status: proxy.status, headers: headers, body: body)
            if fill.warn { headers.add(name: "Warning", value: Self.ignoredCacheControlWarning) }
        }
        if let cors, let origin = exchange.corsAllowOrigin {
            for (name, value) in cors.responseHeaders(allowOrigin: origin) { headers.add(name: name, value: value) }
        }
        headers.add(name: "apigw-requestid", value: exchange.requestId)
        sendComplete(status: proxy.status, headers: &headers, body: body, keepAlive: keepAlive, exchange)
    }
}
