import PorticoRuntime

/// `apiKeyRequired` on WebSocket routes (AWS developer guide, "API key selection expressions":
/// the key comes from the handshake's `x-api-key` header, or from the `$connect` authorizer's
/// `usageIdentifierKey`), checked against the usage plans as REST methods are (docs/USAGE_PLANS.md):
/// a missing, unknown or disabled key, or one no usage plan holds on this stage, is 403 "Forbidden";
/// the plan's throttle 429 "Too Many Requests"; an exhausted quota 429 "Limit Exceeded". Each
/// `$connect` and each message to such a route counts as one request. Reads the immutable usage-plan
/// table; the only writes are the buckets' and the quota counter's atomics.
enum WebSocketApiKeyCheck {
    struct Refusal {
        let status: Int
        let message: String
    }

    /// - Parameter route: the route asked for; the plan's per-route throttle for it (`/{routeKey}/*` in the
    ///   stage's `throttle` map) replaces the plan's own, as a REST method's does.
    static func refusal(_ value: String?, apiId: String, stage: String, route: WebSocketRuntimeRoute, state: LoopState) -> Refusal? {
        guard let value, let key = state.table.usagePlans.keysByValue[value], key.enabled,
            let plan = key.plan(restApiId: apiId, stage: stage)
        else {
            return Refusal(status: 403, message: "Forbidden")
        }
        if let bucket = plan.bucket(methodKey: route.usagePlanThrottleKey), !bucket.take(now: LoopState.throttleClock()) {
            return Refusal(status: 429, message: "Too Many Requests")
        }
        guard plan.admit(day: Int(WallClock.nowMillis() / 86_400_000)) else {
            return Refusal(status: 429, message: "Limit Exceeded")
        }
        return nil
    }
}
