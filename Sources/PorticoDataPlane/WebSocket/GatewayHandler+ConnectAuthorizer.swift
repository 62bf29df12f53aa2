import NIOCore
import NIOHTTP1
import PorticoLambda
import PorticoModel
import PorticoRuntime

/// What a `$connect` Lambda authorizer allowed: in `requestContext.authorizer` of every event of
/// the connection (AWS: the authorizer's `principalId` and `context` are available to every route
/// of the connection as `$context.authorizer.*`).
struct WebSocketAuthorization: Sendable {
    var principalId: String?
    var context: [String: JSONValue]
    var latencyMillis: Int64
}

/// Lambda `REQUEST` authorizers on `$connect` (AWS developer guide, "Create a WebSocket API Lambda
/// REQUEST authorizer function"; the event is AWS's recorded WebSocket authorizer event,
/// /work/shared/aws-events/powertools-apiGatewayAuthorizerWebSocketEvent.json: the CONNECT event
/// with `type: REQUEST` and `methodArn` `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/$connect`):
///
/// - an identity source that is missing or empty → the handshake answers `401 {"message":"Unauthorized"}`
///   without calling the function (as HTTP and REST APIs do);
/// - a cached answer for the same identity-source values (within the TTL) is used as it is;
/// - a function error, timeout or an answer that is not an IAM policy → `500 {"message":"Internal server error"}`
///   (AWS's status for an authorizer failure; the WebSocket body is a guess);
/// - a policy that does not allow the `$connect` ARN → `403 {"message":"Forbidden"}`.
extension GatewayHandler {
    func authorizeConnect(
        _ exchange: Exchange, stage: RuntimeStage, route: WebSocketRuntimeRoute, authorizer: HttpRuntimeAuthorizer,
        info: WebSocketConnectionInfo, headers: HTTPHeaders, query: String, apiKeyFromAuthorizer: Bool,
        then: @escaping (WebSocketConnectionInfo) -> Void
    ) {
        guard let context, let target = authorizer.target else { return }
        var identity: [String] = []
        for source in authorizer.sources {
            guard let value = connectIdentityValue(source, exchange, stage: stage, query: query[...], info: info), !value.isEmpty else {
                refuseConnect(exchange, route: route, .unauthorized, reason: "identity source missing")
                return
            }
            identity.append(value)
        }
        let arn = "arn:aws:execute-api:\(configuration.region):\(configuration.accountId):\(stage.apiId)/\(stage.name)/$connect"
        let cacheKey = AuthorizerResultCache<HttpAuthorizerResult>.key(identity)
        if let cacheKey, let cached = authorizer.cache.value(for: cacheKey) {
            decideConnect(
                cached, latencyMillis: 0, arn: arn, exchange, route: route, apiKeyFromAuthorizer: apiKeyFromAuthorizer, info: info, then: then)
            return
        }
        let event = WebSocketEvent(
            kind: .connect(headers: headers, rawQuery: query[...]), routeKey: route.routeKey, requestId: exchange.requestId,
            requestTimeEpochMillis: exchange.startWallMillis, connection: info, stageVariables: stage.stageVariables)
        var buffer = ByteBuffer()
        event.write(into: &buffer)
        guard case .object(var members)? = JSONParser.parse(Array(buffer.readableBytesView)) else { return }
        members["isBase64Encoded"] = nil
        members["type"] = .string("REQUEST")
        members["methodArn"] = .string(arn)
        // AWS's recorded event has these (empty) even without a query string or stage variables.
        if members["queryStringParameters"] == nil { members["queryStringParameters"] = .object([:]) }
        if members["multiValueQueryStringParameters"] == nil { members["multiValueQueryStringParameters"] = .object([:]) }
        if members["stageVariables"] == nil { members["stageVariables"] = .object([:]) }
        let payload = ByteBuffer(string: JSONValue.object(members).jsonText)
        let call = LambdaCall()
        exchange.lambdaCall = call
        let invocation = LambdaInvocation(functionName: target.functionName, payload: payload, traceId: headers.first(name: "x-amzn-trace-id"))
        call.start(invocation, invoker: state.lambda, on: context.eventLoop, timeoutMillis: authorizer.timeoutMillis) { result in
            guard self.exchange === exchange, !exchange.responseHeadSent else { return }
            exchange.lambdaCall = nil
            let latency = (NIODeadline.now() - call.startedAt).nanoseconds / 1_000_000
            switch result {
            case .timedOut:
                self.refuseConnect(exchange, route: route, .authorizerFailure, reason: "authorizer timed out")
            case .failed(let reason):
                self.refuseConnect(exchange, route: route, .authorizerFailure, reason: "authorizer invoke failed: \(reason)")
            case .outcome(.rejected(let error)):
                self.refuseConnect(exchange, route: route, .authorizerFailure, reason: "authorizer invoke refused: \(error.type): \(error.message)")
            case .outcome(.completed(let response)):
                let body = Array(response.payload.readableBytesView)
                if response.functionError != nil {
                    self.refuseConnect(
                        exchange, route: route, .authorizerFailure,
                        reason: "authorizer function error: \(LambdaFunctionError.errorMessage(body) ?? "-")")
                    return
                }
                guard let answer = HttpAuthorizerResult.parse(JSONValue.parse(body), simple: false) else {
                    self.refuseConnect(exchange, route: route, .authorizerFailure, reason: "authorizer answer is not an IAM policy")
                    return
                }
                if let cacheKey { authorizer.cache.store(answer, for: cacheKey) }
                self.decideConnect(
                    answer, latencyMillis: latency, arn: arn, exchange, route: route, apiKeyFromAuthorizer: apiKeyFromAuthorizer, info: info,
                    then: then)
            }
        }
    }

    private func decideConnect(
        _ answer: HttpAuthorizerResult, latencyMillis: Int64, arn: String, _ exchange: Exchange, route: WebSocketRuntimeRoute,
        apiKeyFromAuthorizer: Bool,
        info: WebSocketConnectionInfo, then: (WebSocketConnectionInfo) -> Void
    ) {
        guard case .policy(let policy) = answer, policy.decision(methodArn: arn) == .allow else {
            refuseConnect(exchange, route: route, .forbidden, reason: "the authorizer's policy does not allow \(arn)")
            return
        }
        var info = info
        info.authorizer = WebSocketAuthorization(principalId: policy.principalId, context: policy.context, latencyMillis: latencyMillis)
        if apiKeyFromAuthorizer { info.apiKey = policy.usageIdentifierKey }
        then(info)
    }

    private enum ConnectRefusal {
        case unauthorized, forbidden, authorizerFailure
    }

    private func refuseConnect(_ exchange: Exchange, route: WebSocketRuntimeRoute, _ refusal: ConnectRefusal, reason: String) {
        exchange.errorMessage = reason
        let response: GatewayResponse
        switch refusal {
        case .unauthorized: response = .unauthorized
        case .forbidden: response = .forbidden
        case .authorizerFailure: response = .json(.internalServerError, body: #"{"message": "Internal server error"}"#, amznErrorType: nil)
        }
        let elapsed = (NIODeadline.now() - exchange.start).nanoseconds
        route.metrics.record(status: Int(response.status.code), latencyNanoseconds: elapsed, integrationLatencyNanoseconds: 0)
        respond(response, exchange)
    }

    private func connectIdentityValue(
        _ source: HttpIdentitySource, _ exchange: Exchange, stage: RuntimeStage, query: Substring, info: WebSocketConnectionInfo
    ) -> String? {
        identityValue(source, exchange, query: query, stage: stage) { name in
            switch name {
            case "routeKey": "$connect"
            case "eventType": "CONNECT"
            case "connectionId": info.connectionId
            default: nil
            }
        }
    }
}
