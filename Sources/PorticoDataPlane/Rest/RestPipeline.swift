import Foundation
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoObservability
import PorticoRuntime
import PorticoTemplates

/// A REST API request from its resolved API to its answer, in AWS's order: stage (and canary
/// choice) → method → request validation → integration (MOCK, HTTP, HTTP_PROXY) → integration
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
        if let failure = validate(method.validation) {
            done(failure)
            return
        }
        integrate(method, done)
    }

    // MARK: authorization

    /// AWS's order: authorization, then the API key, then validation.
    ///
    /// - `AWS_IAM` without a signature (no `Authorization` header, no `X-Amz-Signature` query
    ///   parameter) answers 403 "Missing Authentication Token", as AWS does. A signed request is
    ///   let through: Portico does not verify data-plane signatures yet.
    /// - `apiKeyRequired` answers 403 "Forbidden" (INVALID_API_KEY) without `x-api-key`
    ///   (AWS_FACTS 6). Portico has no API keys or usage plans yet, so no key can be valid: every
    ///   request to such a method is refused, as AWS refuses a key that no usage plan holds.
    func authorize(_ method: RestRuntimeMethod) -> RestResponse? {
        if method.requiresSignature, !exchange.head.headers.contains(name: "authorization"),
            !rest.rawQuery.contains("X-Amz-Signature=")
        {
            return gatewayResponse(.missingAuthenticationToken, message: "Missing Authentication Token")
        }
        if method.apiKeyRequired {
            return gatewayResponse(.invalidApiKey, message: "Forbidden")
        }
        return nil
    }

    // MARK: validation

    /// AWS_FACTS 5: missing required parameters are listed header, then path, then query string,
    /// by name; a body that fails its model is "Invalid request body".
    func validate(_ validation: RestRequestValidation) -> RestResponse? {
        guard !validation.isEmpty else { return nil }
        var missing: [String] = []
        for name in validation.requiredHeaders where rest.header(name, in: exchange.head)?.isEmpty ?? true {
            missing.append(name)
        }
        for name in validation.requiredPathParameters where !rest.pathParameters.contains(where: { $0.name == name && !$0.value.isEmpty }) {
            missing.append(name)
        }
        for name in validation.requiredQueryParameters where rest.query(name)?.isEmpty ?? true {
            missing.append(name)
        }
        if !missing.isEmpty {
            return gatewayResponse(.badRequestParameters, message: "Missing required request parameters: [\(missing.joined(separator: ", "))]")
        }
        if validation.validatesBody {
            let contentType = exchange.head.headers.first(name: "content-type").map(RestMediaType.of) ?? "application/json"
            if validation.bodyModels[contentType] != nil || validation.bodyModels.count == 1 {
                // Until the JSON Schema validator lands, a body is checked for being JSON at all.
                if rest.bodyJSON == nil { return gatewayResponse(.badRequestBody, message: "Invalid request body") }
            }
        }
        return nil
    }

    // MARK: gateway responses

    /// A gateway-generated answer of `type`, rendered with the deployment's gateway response
    /// (status, headers and template, customisable per API).
    func gatewayResponse(_ type: GatewayResponseType, message: String, responses: RestGatewayResponses? = nil) -> RestResponse {
        let compiled = (responses ?? rest.deployment?.gatewayResponses ?? .defaults).response(type)
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        if let template = compiled.template {
            let context = templateContext(body: [], error: (type, message))
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
