import NIOCore
import PorticoLambda
import PorticoModel
import PorticoRuntime

/// REST Lambda authorizers (`authorizationType: CUSTOM`), in the order AWS's "Control access to
/// REST APIs using API Gateway Lambda authorizers" describes:
///
/// 1. Every identity source must be present and non-empty, else 401 `{"message":"Unauthorized"}`
///    (UNAUTHORIZED) without calling the function; a TOKEN's value must also match the
///    authorizer's `identityValidationExpression`.
/// 2. A cached result for the same identity-source values (within the TTL) is used as it is.
/// 3. Otherwise the function is called with the TOKEN or REQUEST event. A function error whose
///    `errorMessage` is exactly `Unauthorized` answers 401; any other error, a refused or
///    timed-out invoke, or output that is not a valid policy answers 500 `{"message":null}`
///    (AUTHORIZER_CONFIGURATION_ERROR).
/// 4. The policy is evaluated against this request's method ARN: an explicit Deny or no
///    matching Allow answers 403 (ACCESS_DENIED).
extension RestPipeline {
    func authorizeWithLambda(_ method: RestRuntimeMethod, _ next: @escaping (RestResponse?) -> Void) {
        if let cognito = method.jwtAuthorizer {
            authorizeWithCognito(method, cognito, next)
            return
        }
        guard let authorizer = method.authorizer, let target = authorizer.target else {
            exchange.errorMessage = "the method's authorizer cannot run"
            next(authorizerConfigurationError())
            return
        }
        exchange.authorizerStarted()
        var identity: [String] = []
        for source in authorizer.sources {
            guard let value = identityValue(source), !value.isEmpty else {
                next(unauthorized("identity source missing"))
                return
            }
            identity.append(value)
        }
        if authorizer.kind == .token, let token = identity.first, !authorizer.accepts(token: token) {
            next(unauthorized("token does not match the identity validation expression"))
            return
        }
        let methodArn = self.methodArn(method)
        let cacheKey = AuthorizerResultCache<AuthorizerPolicy>.key(identity)
        if let cacheKey, let policy = authorizer.cache.value(for: cacheKey) {
            next(decide(RestAuthorization(policy: policy, latencyMillis: 0), methodArn: methodArn))
            return
        }
        var payload = ByteBuffer()
        switch authorizer.kind {
        case .token:
            var json = JSONBytes(buffer: payload)
            json.beginObject()
            json.member("type", "TOKEN")
            json.member("authorizationToken", identity.first ?? "")
            json.member("methodArn", methodArn)
            json.endObject()
            payload = json.buffer
        case .request:
            LambdaProxyEvent.writeAuthorizerRequest(proxyRequest(method), methodArn: methodArn, into: &payload)
        }
        let exchange = self.exchange
        let call = LambdaCall()
        exchange.lambdaCall = call
        let invocation = LambdaInvocation(functionName: target.functionName, payload: payload, traceId: rest.traceId)
        call.start(invocation, invoker: state.lambda, on: state.pool.eventLoop, timeoutMillis: authorizer.timeoutMillis) { [self] result in
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
                exchange.errorMessage = "authorizer timed out"
                next(authorizerConfigurationError())
            case .failed(let reason):
                exchange.errorMessage = "authorizer invoke failed: \(reason)"
                next(authorizerConfigurationError())
            case .outcome(.rejected(let error)):
                exchange.errorMessage = "authorizer invoke refused: \(error.type): \(error.message)"
                next(authorizerConfigurationError())
            case .outcome(.completed(let response)):
                let body = Array(response.payload.readableBytesView)
                if response.functionError != nil {
                    let message = LambdaFunctionError.errorMessage(body)
                    // AWS: only the exact message `Unauthorized` means "reject with 401".
                    if message == "Unauthorized" {
                        next(unauthorized("the authorizer answered Unauthorized"))
                    } else {
                        exchange.errorMessage = "authorizer function error: \(message ?? "-")"
                        next(authorizerConfigurationError())
                    }
                    return
                }
                switch AuthorizerPolicy.parse(JSONValue.parse(body)) {
                case .failure(let malformed):
                    exchange.errorMessage = "authorizer output is not a valid policy: \(malformed.reason)"
                    next(authorizerConfigurationError())
                case .success(let policy):
                    if let cacheKey { authorizer.cache.store(policy, for: cacheKey) }
                    next(decide(RestAuthorization(policy: policy, latencyMillis: latency), methodArn: methodArn))
                }
            }
        }
    }

    /// `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`, the path as
    /// requested without its leading slash (AWS's REQUEST example: `.../test/GET/request`).
    func methodArn(_ method: RestRuntimeMethod) -> String {
        let path = rest.stagePath.hasPrefix("/") ? rest.stagePath.dropFirst() : rest.stagePath[...]
        return "arn:aws:execute-api:\(configuration.region):\(configuration.accountId):\(rest.api.restApiId)/"
            + "\(rest.stage?.name ?? "")/\(exchange.head.method.rawValue)/\(path)"
    }

    /// One identity source's value for this request.
    func identityValue(_ source: RestAuthorizerSource) -> String? {
        switch source {
        case .header(let name): return rest.header(name, in: exchange.head)
        case .queryString(let name): return rest.query(name)
        case .stageVariable(let name): return rest.deployment?.stageVariables[name]
        case .context(let name): return contextValue(name)
        }
    }

    /// Applies the policy to this request: Allow records it for `$context.authorizer`; a Deny
    /// answers 403.
    private func decide(_ authorization: RestAuthorization, methodArn: String) -> RestResponse? {
        switch authorization.policy.decision(methodArn: methodArn) {
        case .allow:
            rest.authorization = authorization
            exchange.authorizerEnded(status: 200, principalId: authorization.policy.principalId, context: authorization.policy.context)
            // `$context` was built before the authorizer ran (for `context.*` sources).
            rest.contextCache = nil
            return nil
        case .explicitDeny:
            exchange.authorizerEnded(
                status: 403, error: "User is not authorized to access this resource with an explicit deny", principalId: authorization.policy.principalId)
            return accessDenied("User is not authorized to access this resource with an explicit deny")
        case .implicitDeny:
            exchange.authorizerEnded(status: 403, error: "User is not authorized to access this resource", principalId: authorization.policy.principalId)
            return accessDenied("User is not authorized to access this resource")
        }
    }

    func unauthorized(_ reason: String) -> RestResponse {
        exchange.errorMessage = reason
        exchange.authorizerEnded(status: 401, error: reason)
        return gatewayResponse(.unauthorized, message: "Unauthorized")
    }

    /// 500 `{"message":null}`: AWS's answer to an authorizer that fails or answers nonsense.
    func authorizerConfigurationError() -> RestResponse {
        exchange.authorizerEnded(status: 500, error: exchange.errorMessage)
        return gatewayResponse(.authorizerConfigurationError, message: nil)
    }

    /// 403 ACCESS_DENIED. Not customised, AWS answers an authorizer's deny with a capitalised
    /// `Message` member (`{"Message":"User is not authorized to access this resource with an
    /// explicit deny"}`), unlike its own default template; a customised response renders as set.
    func accessDenied(_ message: String) -> RestResponse {
        exchange.errorMessage = message
        let response = gatewayResponse(.accessDenied, message: message)
        if rest.deployment?.gatewayResponses.response(.accessDenied).isDefault ?? true {
            response.body = Array("{\"Message\":\(JSONText.quoted(message))}".utf8)
        }
        return response
    }
}
