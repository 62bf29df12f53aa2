import Foundation
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoObservability
import PorticoRuntime
import PorticoSchema
import PorticoTemplates

/// A REST API request from its resolved API to its answer, in AWS's order: stage (and canary
/// choice) → method → throttling (the stage's method throttle, then the account's) → authorization
/// (IAM signature presence, Lambda authorizer) → API key (with the usage plan's throttle first, for
/// methods that require a key) → request validation → integration (MOCK, HTTP, HTTP_PROXY) →
/// integration response → method response. Every error the gateway produces goes through the deployment's
/// gateway responses. Runs on the connection's event loop once the whole request body is in.
///
/// A class, made once per request: each step continues in a closure, and a struct (with the
/// configuration's fields inline) was copied into every one of those closures' contexts, a few
/// hundred bytes allocated and reference-counted per step.
final class RestPipeline {
    let state: LoopState
    /// The few settings the pipeline reads: copying the whole `DataPlaneConfiguration` into each
    /// request's pipeline retained and released its strings and collections every time.
    struct Settings {
        var maxPayloadBytes: Int
        var region: String
        var accountId: String

        init(_ configuration: DataPlaneConfiguration) {
            maxPayloadBytes = configuration.maxPayloadBytes
            region = configuration.region
            accountId = configuration.accountId
        }
    }

    let configuration: Settings
    let clientAddress: String
    let exchange: Exchange
    let rest: RestExchange
    /// Where an `HTTP_PROXY` call's answer goes (``proxyCallEnded(_:)``), while it is out.
    var proxyDone: ((RestResponse) -> Void)?
    /// Where the request's answer goes once its authorizer has decided (``authorized(_:)``).
    private var authorizedDone: ((RestResponse) -> Void)?

    init(state: LoopState, configuration: Settings, clientAddress: String, exchange: Exchange, rest: RestExchange) {
        self.state = state
        self.configuration = configuration
        self.clientAddress = clientAddress
        self.exchange = exchange
        self.rest = rest
    }

    /// Runs the request; `done` is called once, on the loop.
    func run(_ done: @escaping (RestResponse) -> Void) {
        if rest.api.executeApiEndpointDisabled {
            // AWS: a disabled default endpoint answers 403 Forbidden.
            done(accountAdmitted(gatewayResponse(.accessDenied, message: "Forbidden", responses: .defaults), responses: .defaults))
            return
        }
        guard let (stage, stagePath) = rest.api.stage(forPath: rest.apiPath) else {
            // AWS_FACTS 1: no such stage, resource or method → 403 "Missing Authentication Token".
            done(
                accountAdmitted(
                    gatewayResponse(.missingAuthenticationToken, message: "Missing Authentication Token", responses: .defaults),
                    responses: .defaults))
            return
        }
        let deployment = stage.deployment(roll: Double.random(in: 0..<100))
        rest.stage = stage
        rest.deployment = deployment
        rest.stagePath = stagePath
        exchange.stage = deployment.logStage
        exchange.stagePath = stagePath
        if let failure = decodeRequestBody() {
            done(failure)
            return
        }
        guard let match = deployment.router.match(method: exchange.head.method.rawValue, path: stagePath) else {
            done(accountAdmitted(gatewayResponse(.missingAuthenticationToken, message: "Missing Authentication Token")))
            return
        }
        let method = match.value
        rest.method = method
        rest.pathParameters = match.pathParameters
        exchange.route = method.route
        // A method without an API key is throttled here, before authorization (a throttled request costs no
        // authorizer call). One that requires a key is throttled after the key is known, in AWS's order:
        // the usage plan's limit for the key, then the stage's, then the account's (`checkApiKey`).
        if !method.apiKeyRequired, !state.admits(stageThrottle: method.route.throttle, now: exchange.throttleArrival) {
            done(gatewayResponse(.throttled, message: "Too Many Requests"))
            return
        }
        if let failure = authorize(method) {
            done(failure)
            return
        }
        guard method.authorizer != nil || method.jwtAuthorizer != nil || method.authorizerUnusable else {
            proceed(method, done)
            return
        }
        // AWS's order: the Lambda authorizer, then the API key, then request validation. The answer
        // continues in `authorized`: the authorizer's closure captures only the pipeline.
        authorizedDone = done
        authorizeWithLambda(method) { [self] failure in authorized(failure) }
    }

    /// The method's authorizer answered: refused (`failure`), or on to the key, validation and integration.
    private func authorized(_ failure: RestResponse?) {
        guard let done = authorizedDone, let method = rest.method else { return }
        authorizedDone = nil
        if let failure { done(failure) } else { proceed(method, done) }
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
        // AWS's order: validation, then the cache lookup, then the integration (RestPipeline+Cache.swift).
        integrateThroughCache(method, done)
    }

    // MARK: authorization

    /// `AWS_IAM` (SigV4 against the managed IAM users, then their identity policies) and the
    /// REST API's resource policy, combined as AWS combines them (RestPipeline+Iam.swift,
    /// ``RestResourcePolicy``). Lambda authorizers run next (RestPipeline+Authorizer.swift).
    func authorize(_ method: RestRuntimeMethod) -> RestResponse? {
        authorizeWithPolicies(method)
    }

    /// `apiKeyRequired` (AWS_FACTS 6): the key comes from `x-api-key` (`apiKeySource` HEADER) or the
    /// Lambda authorizer's `usageIdentifierKey` (AUTHORIZER). A missing, unknown or disabled key, or
    /// one no usage plan holds on this stage, answers 403 "Forbidden" (INVALID_API_KEY); the plan's
    /// throttle for this key (the method's, else the plan's) 429 "Too Many Requests" (THROTTLED); an
    /// exhausted quota 429 "Limit Exceeded" (QUOTA_EXCEEDED). The throttles are checked first (the
    /// plan's for this key, then the stage's for this method, then the account's: AWS's order), so a
    /// throttled request does not use quota. Everything here reads the immutable usage-plan table; the
    /// only writes are the buckets' and the quota counter's atomics.
    func checkApiKey(_ method: RestRuntimeMethod) -> RestResponse? {
        guard method.apiKeyRequired else { return nil }
        let value: String?
        if rest.deployment?.apiKeyFromAuthorizer == true {
            value = rest.authorization?.policy.usageIdentifierKey
        } else {
            value = exchange.head.headers.first(name: "x-api-key")
        }
        guard let value, let stage = rest.stage, let key = state.table.usagePlans.keysByValue[value], key.enabled,
            let plan = key.plan(restApiId: rest.api.restApiId, stage: stage.name)
        else {
            return gatewayResponse(.invalidApiKey, message: "Forbidden")
        }
        if let bucket = plan.bucket(methodKey: method.usagePlanMethodKey), !bucket.take(now: exchange.throttleArrival) {
            return gatewayResponse(.throttled, message: "Too Many Requests")
        }
        guard state.admits(stageThrottle: method.route.throttle, now: exchange.throttleArrival) else {
            return gatewayResponse(.throttled, message: "Too Many Requests")
        }
        // The request counts in the quota period it arrived in (its arrival time, read once per request).
        guard plan.admit(day: Int(exchange.startWallMillis / 86_400_000)) else {
            return gatewayResponse(.quotaExceeded, message: "Limit Exceeded")
        }
        return nil
    }

    /// A request that ends before a method (no stage, no method, a disabled endpoint) still counts against the
    /// account throttle: `answer`, or 429 THROTTLED when the account's bucket is empty.
    func accountAdmitted(_ answer: RestResponse, responses: RestGatewayResponses? = nil) -> RestResponse {
        state.admits(stageThrottle: nil) ? answer : gatewayResponse(.throttled, message: "Too Many Requests", responses: responses)
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
