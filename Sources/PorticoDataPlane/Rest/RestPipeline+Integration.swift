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
            let head = upstreamHead(target: target, integration: integration, proxy: true, contentType: nil, overrides: .init(), bodyCount: rest.body.count)
            call(target, integration, head: head, body: rest.body) { [self] result in
                switch result {
                case .success(let response): done(proxyResponse(response))
                case .failure(let failure): done(integrationFailure(failure))
                }
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
                        let entry = integration.responses.select(String(response.head.status.code))
                        done(integrationResponse(entry, backend: response))
                    case .failure(let failure):
                        done(integrationFailure(failure))
                    }
                }
            }
        }
    }
}

/// A REST response that ends the pipeline early, as a `Result` failure.
struct RestResponseFailure: Error {
    var response: RestResponse
    init(_ response: RestResponse) { self.response = response }
}
