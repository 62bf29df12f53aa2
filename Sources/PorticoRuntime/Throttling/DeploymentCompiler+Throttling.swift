import PorticoModel

extension DeploymentCompiler {
    /// The stage bucket of one HTTP API or WebSocket route (`routeSettings`, `defaultRouteSettings`; see
    /// ``StageThrottles``), from the registry when there is one so that it outlives this compilation; nil when
    /// the stage sets no throttle for the route (only the account's applies). WebSocket stages carry the same
    /// two settings as HTTP API stages, keyed by route key (`$connect`, `sendmessage`), and AWS applies them the
    /// same way ("route-level throttling ... for a specific stage or for individual routes", WebSocket developer
    /// guide, "Protect your WebSocket APIs").
    func routeThrottle(
        _ routeKey: String, stage: Stage, apiId: String, liveBuckets: inout Set<ThrottleBuckets.Key>
    ) -> SharedTokenBucket? {
        guard let limit = StageThrottles.httpRoute(routeKey: routeKey, stage: stage, account: configuration.accountThrottle) else {
            return nil
        }
        guard let throttleBuckets else { return limit.makeBucket() }
        let key = ThrottleBuckets.Key(apiId: apiId, stage: stage.stageName, target: routeKey, limit: limit)
        liveBuckets.insert(key)
        return throttleBuckets.bucket(key)
    }
}
