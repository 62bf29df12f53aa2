import Foundation
import NIOCore
import NIOHTTP1
import PorticoLambda
import PorticoModel
import PorticoRuntime

/// REST API Lambda integrations: `AWS_PROXY` (payload 1.0 event, proxy response) and the non-proxy
/// `AWS` integration (template output as the event, integration responses chosen by
/// `selectionPattern` against the function error's `errorMessage`).
///
/// Outcomes (AWS_FACTS L4): an invoke the Lambda service refuses (throttle, missing function)
/// answers `500 {"message": "Internal server error"}`; on `AWS_PROXY` a function error or a
/// malformed result answers `502` with the same body; the integration timeout `504 {"message":
/// "Endpoint request timed out"}`. A function error on `AWS` still reaches the integration
/// responses, and with no pattern matching, the default response answers.
extension RestPipeline {
    /// The request as the payload 1.0 event (and a REQUEST authorizer's event) shows it.
    func proxyRequest(_ method: RestRuntimeMethod) -> LambdaProxyRequest {
        let deployment = rest.deployment
        let stageName = rest.stage?.name ?? ""
        var head = exchange.head
        head.headers = LambdaProxyRequest.forwardedHeaders(head.headers, clientAddress: clientAddress, port: nil, traceId: rest.traceId)
        return LambdaProxyRequest(
            head: head, path: String(rest.stagePath), contextPath: "/" + stageName + rest.stagePath, rawQuery: rest.rawQuery,
            resource: method.resourcePath, routeKey: method.route.routeKey,
            pathParameters: LambdaProxyRequest.rawPathParameters(resourcePath: method.resourcePath, path: rest.stagePath) ?? rest.pathParameters,
            stageVariables: deployment?.stageVariables ?? [:],
            context: .init(
                accountId: configuration.accountId, apiId: rest.api.restApiId, deploymentId: deployment?.deploymentId,
                domainName: String(rest.domainName), extendedRequestId: exchange.requestId, requestId: rest.requestId, stage: stageName,
                requestTimeEpochMillis: exchange.startWallMillis, sourceIp: clientAddress, resourceId: method.resourceId,
                resourcePath: method.resourcePath, authorizer: rest.authorization?.eventAuthorizer, iam: rest.iamPrincipal),
            body: rest.body,
            bodyIsBinary: deployment?.binaryMediaTypes.contains(exchange.head.headers.first(name: "content-type")) ?? false)
    }

    func integrateLambdaProxy(_ target: LambdaTarget, _ method: RestRuntimeMethod, _ done: @escaping (RestResponse) -> Void) {
        let integration = method.integration
        let request = proxyRequest(method)
        var payload = ByteBuffer()
        payload.reserveCapacity(2048 + rest.body.count * 4 / 3)
        LambdaProxyEvent.writeV1(request, isHttpApi: false, into: &payload)
        invoke(target, integration, payload: payload) { [self] result in
            switch result {
            case .failure(let failure):
                done(failure.response)
            case .success(let invoked):
                let body = Array(invoked.payload.readableBytesView)
                if invoked.functionError != nil {
                    exchange.integrationError = LambdaFunctionError.errorMessage(body) ?? "function error"
                    done(lambdaFailure(status: 502))
                    return
                }
                switch LambdaProxyResponse.parseV1(body) {
                case .failure(let malformed):
                    exchange.integrationError = "Malformed Lambda proxy response: \(malformed.reason)"
                    done(lambdaFailure(status: 502))
                case .success(let proxy):
                    done(restProxyResponse(proxy))
                }
            }
        }
    }

    func integrateLambda(_ target: LambdaTarget, _ method: RestRuntimeMethod, _ done: @escaping (RestResponse) -> Void) {
        let integration = method.integration
        switch prepareRequest(integration) {
        case .failure(let failure):
            done(failure.response)
        case .success(let prepared):
            // An empty payload (a GET passed through) reaches the function as `{}`.
            let payload = ByteBuffer(bytes: prepared.body.isEmpty ? Array("{}".utf8) : prepared.body)
            invoke(target, integration, payload: payload, type: invocationType(integration, prepared)) { [self] result in
                switch result {
                case .failure(let failure):
                    done(failure.response)
                case .success(let invoked):
                    let body = Array(invoked.payload.readableBytesView)
                    let entry: RestIntegrationResponses.Entry?
                    if invoked.functionError != nil {
                        let message = LambdaFunctionError.errorMessage(body) ?? ""
                        exchange.integrationError = message
                        entry = integration.responses.select(message)
                    } else {
                        entry = integration.responses.defaultEntry
                    }
                    let head = HTTPResponseHead(
                        version: .http1_1, status: .ok, headers: ["content-type": "application/json"])
                    done(integrationResponse(entry, backend: RestUpstreamCall.Response(head: head, body: body)))
                }
            }
        }
    }

    /// Invokes the function with the integration's timeout; a refusal, a failure or a timeout
    /// comes back as the gateway's answer.
    private func invoke(
        _ target: LambdaTarget, _ integration: RestRuntimeIntegration, payload: ByteBuffer, type: LambdaInvocationType = .requestResponse,
        _ completion: @escaping (Result<LambdaInvocationResponse, RestResponseFailure>) -> Void
    ) {
        let exchange = self.exchange
        let call = LambdaCall()
        exchange.lambdaCall = call
        exchange.integrationStart = call.startedAt
        let invocation = LambdaInvocation(functionName: target.functionName, payload: payload, invocationType: type, traceId: rest.traceId)
        call.start(invocation, invoker: state.lambda, on: state.pool.eventLoop, timeoutMillis: integration.timeoutMillis) { [self] result in
            exchange.lambdaCall = nil
            exchange.integrationLatencyNanos = (NIODeadline.now() - call.startedAt).nanoseconds
            switch result {
            case .timedOut:
                exchange.integrationError = "timeout"
                completion(.failure(.init(gatewayResponse(.integrationTimeout, message: "Endpoint request timed out"))))
            case .failed(let reason):
                exchange.integrationError = reason
                completion(.failure(.init(lambdaFailure(status: 500))))
            case .outcome(.rejected(let error)):
                exchange.integrationStatus = error.statusCode
                exchange.integrationError = "\(error.type): \(error.message)"
                completion(.failure(.init(lambdaFailure(status: 500))))
            case .outcome(.completed(let response)):
                exchange.integrationStatus = response.statusCode
                exchange.integrationRequestId = response.requestId
                completion(.success(response))
            }
        }
    }

    /// `AWS` integrations choose the invocation type with a mapped `X-Amz-Invocation-Type` header
    /// (`integration.request.header.X-Amz-Invocation-Type: 'Event'` for an asynchronous call, AWS's
    /// documented way), or with the template's `$context.requestOverride.header`; otherwise
    /// RequestResponse.
    func invocationType(_ integration: RestRuntimeIntegration, _ prepared: PreparedRequest) -> LambdaInvocationType {
        var text: String?
        for (parameter, source) in integration.requestParameters
        where parameter.location == .header && parameter.name.lowercased() == "x-amz-invocation-type" {
            text = value(source, backend: nil)
        }
        for (name, value) in prepared.overrides.header where name.lowercased() == "x-amz-invocation-type" { text = value }
        return text.flatMap { LambdaInvocationType(rawValue: $0) } ?? .requestResponse
    }

    /// `{"message": "Internal server error"}` with `status` (500 for a refused invoke, 502 for a
    /// function error or malformed result). AWS sends these through the INTEGRATION_FAILURE
    /// gateway response, yet with 500/502 rather than that type's 504 while it is not customised
    /// (re:Post "Inconsistencies in response codes depending on whether API Gateway response
    /// settings are configured"); a customised status wins.
    func lambdaFailure(status: Int) -> RestResponse {
        exchange.errorMessage = exchange.integrationError
        let response = gatewayResponse(.integrationFailure, message: "Internal server error")
        if response.status == 504 { response.status = status }
        return response
    }

    /// The function's proxy response: its status, headers and body; `Content-Type:
    /// application/json` when it set none (fact 4). A base64 body is decoded when the client's
    /// `Accept` (or the response's `Content-Type`) is one of the API's `binaryMediaTypes`, and
    /// sent as the base64 text otherwise (fact 4's last row).
    func restProxyResponse(_ proxy: LambdaProxyResponse) -> RestResponse {
        var headers: [(String, String)] = []
        for (name, value) in proxy.headers {
            switch HeaderName.classify(name) {
            case .connection, .hopByHop, .transferEncoding, .contentLength: continue
            default: break
            }
            guard LambdaProxyResponse.isSendable(name: name, value: value) else { continue }
            headers.append((name, value))
        }
        let contentType = headers.first { $0.0.lowercased() == "content-type" }?.1
        if contentType == nil { headers.append(("Content-Type", "application/json")) }
        let binaryTypes = rest.deployment?.binaryMediaTypes
        let accept = exchange.head.headers.first(name: "accept").map { String($0.prefix { $0 != "," }) }
        let decode = binaryTypes.map { $0.contains(accept) || $0.contains(contentType) } ?? false
        return RestResponse(status: proxy.status, headers: headers, body: proxy.decodedBody(decodeBase64: decode))
    }
}
