import NIOCore
import PorticoLambda
import PorticoModel
import PorticoRuntime

/// HTTP API Lambda (`REQUEST`) authorizers (AWS: "Working with AWS Lambda authorizers for HTTP
/// APIs"), run once the request body is in and before the integration:
///
/// - an identity source that is missing or empty → `401 {"message":"Unauthorized"}` without
///   calling the function;
/// - a cached answer for the same identity-source values (within the TTL) is used as it is;
/// - otherwise the function gets the payload 1.0 or 2.0 authorizer event; a function error, a
///   refused or timed-out invoke, or an answer in the wrong format → `500 {"message":"Internal
///   Server Error"}`;
/// - a simple response with `isAuthorized: false`, or an IAM policy that does not allow the route
///   ARN → `403 {"message":"Forbidden"}`.
extension GatewayHandler {
    func authorizeHttp(_ exchange: Exchange, _ pending: DeferredAuthorization) {
        guard let context, let stage = exchange.stage, let route = exchange.route else { return }
        if let jwt = route.jwtAuthorizer {
            authorizeJwt(exchange, pending, jwt, scopes: route.authorizationScopes)
            return
        }
        guard let authorizer = route.authorizer, let target = authorizer.target else {
            exchange.errorMessage = "the route's authorizer cannot run"
            respond(.internalServerError, exchange)
            return
        }
        exchange.authorizerStarted()
        var identity: [String] = []
        for source in authorizer.sources {
            guard let value = identityValue(source, exchange, pending, stage), !value.isEmpty else {
                exchange.errorMessage = "identity source missing"
                exchange.authorizerEnded(status: 401, error: exchange.errorMessage)
                respond(.unauthorized, exchange)
                return
            }
            identity.append(value)
        }
        let routeArn = "arn:aws:execute-api:\(configuration.region):\(configuration.accountId):\(stage.apiId)/\(stage.name)/"
            + "\(exchange.head.method.rawValue)\(exchange.stagePath)"
        let cacheKey = AuthorizerResultCache<HttpAuthorizerResult>.key(identity)
        if let cacheKey, let cached = authorizer.cache.value(for: cacheKey) {
            decideHttp(cached, latencyMillis: 0, routeArn: routeArn, exchange, pending)
            return
        }
        let payload = authorizerEvent(exchange, pending, stage: stage, route: route, authorizer: authorizer, routeArn: routeArn, identity: identity)
        let traceId = exchange.head.headers.first(name: "x-amzn-trace-id")
        let call = LambdaCall()
        exchange.lambdaCall = call
        let invocation = LambdaInvocation(functionName: target.functionName, payload: payload, traceId: traceId)
        call.start(invocation, invoker: state.lambda, on: context.eventLoop, timeoutMillis: authorizer.timeoutMillis) { result in
            // Strong, as in `invokeLambda`: the call always completes.
            guard self.exchange === exchange, !exchange.responseHeadSent else { return }
            exchange.lambdaCall = nil
            let latencyNanos = (NIODeadline.now() - call.startedAt).nanoseconds
            let latency = latencyNanos / 1_000_000
            switch result {
            case .timedOut, .failed: exchange.authorizerInvoked(latencyNanos: latencyNanos, status: nil)
            case .outcome(.rejected(let error)): exchange.authorizerInvoked(latencyNanos: latencyNanos, status: error.statusCode)
            case .outcome(.completed(let response)): exchange.authorizerInvoked(latencyNanos: latencyNanos, status: response.statusCode, requestId: response.requestId)
            }
            switch result {
            case .timedOut:
                self.authorizerFailed(exchange, "authorizer timed out")
            case .failed(let reason):
                self.authorizerFailed(exchange, "authorizer invoke failed: \(reason)")
            case .outcome(.rejected(let error)):
                self.authorizerFailed(exchange, "authorizer invoke refused: \(error.type): \(error.message)")
            case .outcome(.completed(let response)):
                let body = Array(response.payload.readableBytesView)
                if response.functionError != nil {
                    self.authorizerFailed(exchange, "authorizer function error: \(LambdaFunctionError.errorMessage(body) ?? "-")")
                    return
                }
                guard let answer = HttpAuthorizerResult.parse(JSONValue.parse(body), simple: authorizer.simpleResponses) else {
                    self.authorizerFailed(exchange, "authorizer answer is not in the expected format")
                    return
                }
                if let cacheKey { authorizer.cache.store(answer, for: cacheKey) }
                self.decideHttp(answer, latencyMillis: latency, routeArn: routeArn, exchange, pending)
            }
        }
    }

    private func authorizerFailed(_ exchange: Exchange, _ reason: String) {
        exchange.errorMessage = reason
        exchange.authorizerEnded(status: 500, error: reason)
        respond(.internalServerError, exchange)
    }

    private func decideHttp(
        _ answer: HttpAuthorizerResult, latencyMillis: Int64, routeArn: String, _ exchange: Exchange, _ pending: DeferredAuthorization
    ) {
        switch answer {
        case .simple(let allowed, let values):
            guard allowed else {
                exchange.errorMessage = "the authorizer answered isAuthorized: false"
                exchange.authorizerEnded(status: 403, error: exchange.errorMessage, context: values)
                respond(.forbidden, exchange)
                return
            }
            exchange.httpAuthorization = HttpAuthorization(principalId: nil, context: values, latencyMillis: latencyMillis)
            exchange.authorizerEnded(status: 200, context: values)
        case .policy(let policy):
            guard policy.decision(methodArn: routeArn) == .allow else {
                exchange.errorMessage = "the authorizer's policy does not allow \(routeArn)"
                exchange.authorizerEnded(status: 403, error: exchange.errorMessage, principalId: policy.principalId)
                respond(.forbidden, exchange)
                return
            }
            exchange.httpAuthorization = HttpAuthorization(principalId: policy.principalId, context: policy.context, latencyMillis: latencyMillis)
            exchange.authorizerEnded(status: 200, principalId: policy.principalId, context: policy.context)
        }
        continueAfterAuthorization(exchange, pending)
    }

    /// The integration, as `startExchange` would have started it, now with the whole body.
    func continueAfterAuthorization(_ exchange: Exchange, _ pending: DeferredAuthorization) {
        if exchange.route?.caching != nil, answerFromCache(exchange, pending) { return }
        let body = exchange.bufferedRequestBody ?? []
        switch pending.integration.kind {
        case .unusable(let reason):
            exchange.errorMessage = reason
            respond(.internalServerError, exchange)
        case .httpProxy(let target):
            exchange.bufferedRequestBody = nil
            if !body.isEmpty { exchange.pendingBody = [ByteBuffer(bytes: body)] }
            proxy(
                exchange, match: pending.match, target: target, integration: pending.integration, query: pending.query,
                requestJSON: pending.integration.requestMapping.needsRequestBody ? JSONValue.parse(body) : nil)
        case .lambdaProxy(let target, let version):
            invokeLambda(
                exchange,
                DeferredLambda(match: pending.match, integration: pending.integration, target: target, version: version, query: pending.query))
        }
    }

    private func identityValue(
        _ source: HttpIdentitySource, _ exchange: Exchange, _ pending: DeferredAuthorization, _ stage: RuntimeStage
    ) -> String? {
        identityValue(source, exchange, query: pending.query, stage: stage) { name in
            switch name {
            case "routeKey": exchange.route?.routeKey
            case "httpMethod": exchange.head.method.rawValue
            default: nil
            }
        }
    }

    /// An identity source's value, as HTTP API and WebSocket `$connect` authorizers read them: repeated
    /// headers and query strings joined with commas, stage variables, and the `context.*` variables
    /// every request has; `context` answers the ones particular to the caller (route key, method...).
    func identityValue(
        _ source: HttpIdentitySource, _ exchange: Exchange, query: Substring, stage: RuntimeStage, context: (String) -> String?
    ) -> String? {
        switch source {
        case .header(let name):
            let values = exchange.head.headers[name]
            return values.isEmpty ? nil : values.joined(separator: ",")
        case .queryString(let name):
            let values = ProxyRequest.parseQuery(query).filter { $0.0 == name }.map(\.1)
            return values.isEmpty ? nil : values.joined(separator: ",")
        case .stageVariable(let name):
            return stage.stageVariables[name]
        case .context(let name):
            switch name {
            case "requestId": return exchange.requestId
            case "stage": return stage.name
            case "apiId": return stage.apiId
            case "identity.sourceIp": return clientAddress
            case "domainName": return String(exchange.domainName)
            default: return context(name)
            }
        }
    }

    /// The payload 1.0 or 2.0 authorizer event: the proxy event of that version without the body,
    /// with `type: REQUEST`, the route (2.0) or method (1.0) ARN and the identity-source values.
    private func authorizerEvent(
        _ exchange: Exchange, _ pending: DeferredAuthorization, stage: RuntimeStage, route: RuntimeRoute, authorizer: HttpRuntimeAuthorizer,
        routeArn: String, identity: [String]
    ) -> ByteBuffer {
        let (request, _) = lambdaProxyRequest(
            exchange, stage: stage, route: route, query: pending.query, pathParameters: pending.match.pathParameters, body: [])
        var buffer = ByteBuffer()
        switch authorizer.version {
        case .v1: LambdaProxyEvent.writeV1(request, isHttpApi: true, into: &buffer)
        case .v2: LambdaProxyEvent.writeV2(request, into: &buffer)
        }
        guard case .object(var event)? = JSONParser.parse(Array(buffer.readableBytesView)) else { return buffer }
        event["body"] = nil
        event["isBase64Encoded"] = nil
        event["type"] = .string("REQUEST")
        switch authorizer.version {
        case .v1:
            event["methodArn"] = .string(routeArn)
            event["identitySource"] = .string(identity.joined(separator: ","))
            event["authorizationToken"] = .string(identity.joined(separator: ","))
        case .v2:
            event["routeArn"] = .string(routeArn)
            event["identitySource"] = .array(identity.map(JSONValue.string))
        }
        return ByteBuffer(string: JSONValue.object(event).jsonText)
    }
}
