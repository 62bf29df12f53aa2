extension UsagePlanApiStage {
    /// How a usage plan's per-method throttles (`throttle`, keyed `/{resourcePath}/{httpMethod}` for REST
    /// methods) name a WebSocket route: `/{routeKey}/*`, since a route has no method. Portico's mapping: AWS's
    /// answer for per-method throttles on a WebSocket stage is not recorded.
    public static func webSocketThrottleKey(routeKey: String) -> String {
        "/" + routeKey + "/*"
    }
}
