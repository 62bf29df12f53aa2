public import PorticoModel

/// Which throttle a stage sets for one REST method or HTTP API route, worked out once per compilation.
///
/// AWS applies a stage's throttles "at the API method level": `*/*` (REST) and `defaultRouteSettings` (HTTP APIs)
/// are the defaults each method or route gets, not one limit for the stage as a whole, and a method's own
/// entry (`{resourcePath}/{httpMethod}`) or a route's `routeSettings` entry overrides them. So every method or
/// route with a limit gets its own bucket. ("Per-API, per-stage throttling limits are applied at the API method
/// level for a stage. You can configure the same settings for all methods, or configure different throttle
/// settings for each method" — REST developer guide, "Throttle requests to your REST APIs".)
///
/// Members are resolved one at a time: the method's or route's own value, else the stage default's, else the
/// account's. A member counts as *not set* when it is negative (the `-1` AWS and Terraform use for "account
/// default") or equal to AWS's account default (10,000 rps / 5,000 burst): AWS shows those values in method
/// settings that never set a throttle, and AWS support calls setting them "identical to the 'not configured'
/// setting" for HTTP APIs (re:Post, "how to change back throttling to not configured on http api gateway").
/// Treating them as unset keeps a method whose entry exists only for metrics or caching on the stage default,
/// and lets a raised `--account-rate-limit` apply to it. A method or route with no member set anywhere gets no
/// bucket: only the account throttle applies to it.
///
/// Rate 0 or burst 0 block every request (a bucket that never holds a token): what AWS's console does with a
/// 0/0 method throttle, as reported in aws-cdk#10071 ("we expect to have that method configured to allow 0
/// requests (disabled) as it happens using aws console").
public enum StageThrottles {
    /// The limit for one REST method, from the stage's `methodSettings`; nil when the stage sets none for it.
    /// - Parameter account: the account limit that fills unset members (AWS's default when the account
    ///   throttle is off).
    public static func restMethod(
        resourcePath: String, httpMethod: String, methodSettings: [String: MethodSetting], account: ThrottleLimit
    ) -> ThrottleLimit? {
        guard !methodSettings.isEmpty else { return nil }
        let own = methodSettingKeys(resourcePath: resourcePath, httpMethod: httpMethod).lazy.compactMap { methodSettings[$0] }.first
        let stage = methodSettings["*/*"]
        return resolve(
            rate: [own?.throttlingRateLimit, stage?.throttlingRateLimit], burst: [own?.throttlingBurstLimit, stage?.throttlingBurstLimit],
            account: account)
    }

    /// The limit for one HTTP API route (`GET /pets`, `$default`), from the stage's `routeSettings` and
    /// `defaultRouteSettings`; nil when the stage sets none for it.
    public static func httpRoute(routeKey: String, stage: Stage, account: ThrottleLimit) -> ThrottleLimit? {
        let own = stage.routeSettings?[routeKey]
        let defaults = stage.defaultRouteSettings
        return resolve(
            rate: [own?.throttlingRateLimit, defaults?.throttlingRateLimit],
            burst: [own?.throttlingBurstLimit, defaults?.throttlingBurstLimit], account: account)
    }

    /// The keys a stage's `methodSettings` may name a method by: `items/GET` is how `UpdateStage` stores
    /// `/~1items/GET/...` (the resource path without its leading slash); the root resource comes as `/GET` or
    /// `//GET` depending on how the path was escaped.
    static func methodSettingKeys(resourcePath: String, httpMethod: String) -> [String] {
        if resourcePath == "/" { return ["/\(httpMethod)", "//\(httpMethod)", "~1/\(httpMethod)"] }
        let trimmed = resourcePath.hasPrefix("/") ? String(resourcePath.dropFirst()) : resourcePath
        return ["\(trimmed)/\(httpMethod)", "/\(trimmed)/\(httpMethod)"]
    }

    /// The first member that is set, in order of precedence, else the account's; nil when none is set.
    static func resolve(rate rates: [Double?], burst bursts: [Int?], account: ThrottleLimit) -> ThrottleLimit? {
        let rate = rates.lazy.compactMap { $0 }.first(where: isSet)
        let burst = bursts.lazy.compactMap { $0 }.first(where: isSet)
        guard rate != nil || burst != nil else { return nil }
        return ThrottleLimit(rate: rate ?? account.rate, burst: burst ?? account.burst)
    }

    static func isSet(_ rate: Double) -> Bool { rate >= 0 && rate != ThrottleLimit.awsAccountDefault.rate }
    static func isSet(_ burst: Int) -> Bool { burst >= 0 && burst != ThrottleLimit.awsAccountDefault.burst }
}
