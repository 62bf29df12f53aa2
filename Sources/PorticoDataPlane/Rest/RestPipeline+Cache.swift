import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoRuntime

/// The stage's response cache around the integration (docs/CACHING.md): a hit answers without calling the
/// integration; a miss calls it and stores the answer for the method's TTL. `Cache-Control: max-age=0` from a
/// caller allowed to invalidate skips the lookup and replaces the entry.
extension RestPipeline {
    /// AWS's warning for an ignored `Cache-Control` (SUCCEED_WITH_RESPONSE_HEADER). The wording is recalled from
    /// AWS responses, not recorded here: a guess.
    static let ignoredCacheControlWarning = #"199 "Cache-control headers were ignored because the caller was unauthorized.""#

    func integrateThroughCache(_ method: RestRuntimeMethod, _ done: @escaping (RestResponse) -> Void) {
        guard let policy = method.caching, let deployment = rest.deployment, let cache = rest.stage?.cache(for: deployment) else {
            integrate(method, done)
            return
        }
        let key = cacheKey(policy)
        var invalidate = false
        var warn = false
        if exchange.head.headers["cache-control"].contains(where: MethodCachePolicy.asksToInvalidate) {
            if !policy.requireAuthorization || mayInvalidate(method) {
                invalidate = true
            } else {
                switch policy.unauthorizedStrategy {
                case .failWith403:
                    // AWS: "Fail the request with 403 status code". The body mirrors AWS's IAM refusal (a guess).
                    done(accessDeniedToInvalidate(method))
                    return
                case .succeedWithResponseHeader:
                    warn = true
                case .succeedWithoutResponseHeader:
                    break
                }
            }
        }
        let now = NIODeadline.now().uptimeNanoseconds
        if !invalidate, let hit = cache.lookup(key, nowNanos: now) {
            policy.hits.increment()
            let response = RestResponse(status: hit.status, headers: hit.headers, body: hit.body)
            if warn { response.headers.append(("Warning", Self.ignoredCacheControlWarning)) }
            done(response)
            return
        }
        policy.misses.increment()
        integrate(method) { response in
            // The cache holds headers as Strings.
            response.materializeForwardedHeaders()
            // Only the integration's answers are stored, never the gateway's own (errors, throttling, auth).
            // AWS has no setting to exclude statuses and was reported serving a backend's 429 from the cache
            // (Stack Overflow 45883323), so 4xx answers are stored; 5xx answers are not, so that a failing
            // backend is asked again (a deliberate choice: AWS does not document what it does with them).
            if response.errorType == nil, response.status < 500 {
                cache.store(
                    key, CachedResponse(status: response.status, headers: response.headers, body: response.body),
                    ttlNanos: policy.ttlNanos, nowNanos: NIODeadline.now().uptimeNanoseconds)
            } else if invalidate {
                cache.invalidate(key)
            }
            if warn { response.headers.append(("Warning", Self.ignoredCacheControlWarning)) }
            done(response)
        }
    }

    func cacheKey(_ policy: MethodCachePolicy) -> String {
        let head = exchange.head
        return policy.key(method: head.method.rawValue, path: rest.stagePath) { parameter in
            switch parameter {
            case .query(let name):
                return rest.query(name)
            case .multiValueQuery(let name):
                let values = rest.queryParameters.filter { $0.0 == name }.map(\.1)
                return values.isEmpty ? nil : values.joined(separator: ",")
            case .header(let name):
                return rest.header(name, in: head)
            case .multiValueHeader(let name):
                let values = head.headers[name]
                return values.isEmpty ? nil : values.joined(separator: ",")
            case .path(let name):
                return rest.pathParameters.last { $0.name == name }?.value
            }
        }
    }

    /// Whether the caller may invalidate: a SigV4-signed request (already verified for an `AWS_IAM` method, else
    /// verified now) from a managed IAM user whose policies allow `execute-api:InvalidateCache` on the method ARN
    /// (AWS's documented policy). An unsigned or badly signed request may not; that is not an error here.
    func mayInvalidate(_ method: RestRuntimeMethod) -> Bool {
        var principal = rest.iamPrincipal
        if principal == nil {
            let signed = exchange.head.headers.contains(name: "authorization") || rest.rawQuery.contains("X-Amz-Signature=")
            guard signed,
                case .success(let verified) = IamSignatureCheck.verify(
                    state.table.iam, head: exchange.head, rawQuery: rest.rawQuery, body: rest.body, nowMillis: exchange.startWallMillis)
            else { return false }
            principal = verified
        }
        guard let principal else { return false }
        let sourceIp = principal.policy.readsSourceIp ? IPAddressBlock.parseAddress(clientAddress) : nil
        return principal.policy.decision(
            action: Self.invalidateCacheAction, resource: methodArn(method), caller: principal.caller, sourceIp: sourceIp) == .allow
    }

    static let invalidateCacheAction = "execute-api:InvalidateCache"

    private func accessDeniedToInvalidate(_ method: RestRuntimeMethod) -> RestResponse {
        let message =
            "User: \(rest.iamPrincipal?.userArn ?? "anonymous") is not authorized to perform: \(Self.invalidateCacheAction) on resource: "
            + IamSignatureCheck.maskingAccount(methodArn(method))
        exchange.errorMessage = message
        return gatewayResponse(.accessDenied, message: message)
    }
}
