import Foundation
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoObservability
import PorticoRuntime
import PorticoSchema
import PorticoTemplates

/// A REST API request from its resolved API to its answer, in AWS's order: stage (and canary
/// choice) → method → authorization (IAM signature presence, Lambda authorizer) → API key →
/// request validation → integration (MOCK, HTTP, HTTP_PROXY) → integration
/// response → method response. Every error the gateway produces goes through the deployment's
/// gateway responses. Runs on the connection's event loop once the whole request body is in.
struct RestPipeline {
    let state: LoopState
    let configuration: DataPlaneConfiguration
    let clientAddress: String
    let exchange: Exchange
    let rest: RestExchange

    /// Runs the request; `done` is called once, on the loop.
    func run(_ done: @escaping (RestResponse) -> Void) {
        if rest.api.executeApiEndpointDisabled {
            // AWS: a disabled default endpoint answers 403 Forbidden.
            done(gatewayResponse(.accessDenied, message: "Forbidden", responses: .defaults))
            return
        }
        guard let (stage, stagePath) = rest.api.stage(forPath: rest.apiPath) else {
            // AWS_FACTS 1: no such stage, resource or method → 403 "Missing Authentication Token".
            done(gatewayResponse(.missingAuthenticationToken, message: "Missing Authentication Token", responses: .defaults))
            return
        }
        let deployment = stage.deployment(roll: Double.random(in: 0..<100))
        rest.stage = stage
        rest.deployment = deployment
        rest.stagePath = stagePath
        exchange.stage = deployment.logStage
        exchange.stagePath = stagePath
        guard let match = deployment.router.match(method: exchange.head.method.rawValue, path: stagePath) else {
            done(gatewayResponse(.missingAuthenticationToken, message: "Missing Authentication Token"))
            return
        }
        let method = match.value
        rest.method = method
        rest.pathParameters = match.pathParameters
        exchange.route = method.route
        if let failure = authorize(method) {
            done(failure)
            return
        }
        guard method.authorizer != nil || method.authorizerUnusable else {
            proceed(method, done)
            return
        }
        // AWS's order: the Lambda authorizer, then the API key, then request validation.
        authorizeWithLambda(method) { failure in
            if let failure { done(failure) } else { proceed(method, done) }
        }
    }

    /// After authorization: the API key, request validation, then the integration.
    private func proceed(_ method: RestRuntimeMethod, _ done: @escaping (RestResponse) -> Void) {
        if let failure = checkApiKey(method) {
            done(failure)
            return
        }
        if let failure = validate(method.validation) {
            done(failure)
            return
        }
        integrate(method, done)
    }

    // MARK: authorization

    /// `AWS_IAM` (SigV4 against the managed IAM users, then their identity policies) and the
    /// REST API's resource policy, combined as AWS combines them (RestPipeline+Iam.swift,
    /// ``RestResourcePolicy``). Lambda authorizers run next (RestPipeline+Authorizer.swift).
    func authorize(_ method: RestRuntimeMethod) -> RestResponse? {
        authorizeWithPolicies(method)
    }

    /// `apiKeyRequired` answers 403 "Forbidden" (INVALID_API_KEY) without `x-api-key`
    /// (AWS_FACTS 6). Portico has no API keys or usage plans yet, so no key can be valid: every
    /// request to such a method is refused, as AWS refuses a key that no usage plan holds.
    func checkApiKey(_ method: RestRuntimeMethod) -> RestResponse? {
        if method.apiKeyRequired {
            return gatewayResponse(.invalidApiKey, message: "Forbidden")
        }
        return nil
    }

    // MARK: validation

    /// The method's request validator (PorticoSchema's `RequestValidation`, AWS_FACTS 5): missing
    /// required parameters (header, then path, then query string) or a body that breaks its model.
    func validate(_ validation: RequestValidation) -> RestResponse? {
        guard validation.isActive else { return nil }
        let failure = validation.check(
            header: { rest.header($0, in: exchange.head) }, queryString: { rest.query($0) },
            path: { name in rest.pathParameters.last { $0.name == name }?.value },
            contentType: exchange.head.headers.first(name: "content-type"), body: rest.body)
        guard let failure else { return nil }
        return gatewayResponse(failure.responseType, message: failure.message, validationErrorString: failure.validationErrorString)
    }

    // MARK: gateway responses

    /// A gateway-generated answer of `type`, rendered with the deployment's gateway response
    /// (status, headers and template, customisable per API).
    func gatewayResponse(
        _ type: GatewayResponseType, message: String?, responses: RestGatewayResponses? = nil, validationErrorString: String? = nil
    ) -> RestResponse {
        let compiled = (responses ?? rest.deployment?.gatewayResponses ?? .defaults).response(type)
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        if let template = compiled.template {
            let context = templateContext(body: [], error: RestError(type: type, message: message, validationErrorString: validationErrorString))
            if let rendered = try? template.render(context: context) {
                body = Array(rendered.body.utf8)
            }
        }
        headers.append(("content-type", compiled.contentType))
        if let errorType = compiled.errorType { headers.append(("x-amzn-ErrorType", errorType)) }
        for (name, source) in compiled.headers {
            if let value = value(source, backend: nil) { headers.append((name, value)) }
        }
        return RestResponse(status: compiled.status, headers: headers, body: body, errorType: type.rawValue, errorMessage: message)
    }
}
