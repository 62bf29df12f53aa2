import Foundation
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoRuntime
import PorticoTemplates

extension RestPipeline {
    /// Sends the request to the method's integration and maps the answer back.
    func integrate(_ method: RestRuntimeMethod, _ done: @escaping (RestResponse) -> Void) {
        let integration = method.integration
        switch integration.kind {
        case .unusable(let reason):
            exchange.errorMessage = reason
            done(gatewayResponse(.apiConfigurationError, message: "Internal server error"))
        case .httpProxy(let target):
            // The answer continues in `proxyCallEnded`: the call's closure captures only the pipeline.
            proxyDone = done
            let answer: (Result<RestUpstreamCall.Response, RestUpstreamCall.Failure>) -> Void = { [self] result in proxyCallEnded(result) }
            if Self.writesProxyHeadDirectly(integration) {
                var head = ByteBuffer()
                let isHead = writeProxyHead(target: target, integration: integration, into: &head)
                call(target, integration, head: head, isHead: isHead, body: rest.body, answer)
            } else {
                let head = upstreamHead(
                    target: target, integration: integration, proxy: true, contentType: nil, overrides: .init(), bodyCount: rest.body.count)
                call(target, integration, head: head, body: rest.body, answer)
            }
        case .lambdaProxy(let target):
            integrateLambdaProxy(target, method, done)
        case .lambda(let target):
            integrateLambda(target, method, done)
        case .mock:
            switch prepareRequest(integration) {
            case .failure(let failure):
                done(failure.response)
            case .success(let prepared):
                done(mockResponse(integration, prepared))
            }
        case .http(let target):
            switch prepareRequest(integration) {
            case .failure(let failure):
                done(failure.response)
            case .success(let prepared):
                let head = upstreamHead(
                    target: target, integration: integration, proxy: false, contentType: prepared.contentType,
                    overrides: prepared.overrides, bodyCount: prepared.body.count)
                call(target, integration, head: head, body: prepared.body) { [self] result in
                    switch result {
                    case .success(let response):
                        // Mappings read the backend's headers by name: as Strings, made once.
                        let response = response.materialized()
                        let entry = integration.responses.select(String(response.status))
                        done(integrationResponse(entry, backend: response))
                    case .failure(let failure):
                        done(integrationFailure(failure))
                    }
                }
            }
        }
    }
}

extension RestPipeline {
    /// An `HTTP_PROXY` call ended: the backend's answer as it is, or the gateway's for a failure.
    func proxyCallEnded(_ result: Result<RestUpstreamCall.Response, RestUpstreamCall.Failure>) {
        guard let done = proxyDone else { return }
        proxyDone = nil
        switch result {
        case .success(let response): done(proxyResponse(response))
        case .failure(let failure): done(integrationFailure(failure))
        }
    }
}

/// A REST response that ends the pipeline early, as a `Result` failure. `Error` asks for `Sendable`; the
/// response (a loop-confined class) never leaves its event loop: these results are returned, or passed to a
/// continuation that runs on the same loop.
struct RestResponseFailure: Error, @unchecked Sendable {
    var response: RestResponse
    init(_ response: RestResponse) { self.response = response }
}
