import PorticoRuntime

/// Throttling of WebSocket APIs (docs/WEBSOCKET_APIS.md, "Throttling"), with the buckets HTTP APIs use
/// (docs/THROTTLING.md): a route's stage throttle (`routeSettings`, `defaultRouteSettings`) and the account's
/// apply to `$connect` and to every message; the process-wide new-connection rate to every handshake.
///
/// AWS's answers: a throttled handshake is `429 {"message":"Too Many Requests"}` (the WebSocket guide: "Clients
/// may receive 429 Too Many Requests error responses"); a throttled message cannot get a status, so the client
/// gets AWS's error message `{"message": "Too Many Requests", "connectionId": ..., "requestId": ...}`, the same
/// shape AWS sends for a message it refuses ("Forbidden", "Internal server error"; aws-samples/
/// simple-websockets-chat-app#46). The message text is a guess: AWS's answer to a throttled message is not
/// recorded.
enum WebSocketThrottling {
    static let message = "Too Many Requests"
}

extension GatewayHandler {
    /// `$connect`'s throttles, most specific first: the route's stage bucket, the account's, then the
    /// new-connection rate. False when one is empty (the handshake is refused with 429).
    func admitsConnect(_ webSocket: WebSocketRuntimeStage) -> Bool {
        guard state.admits(stageThrottle: webSocket.connect?.throttle) else { return false }
        guard let connections = state.webSockets.connectThrottle else { return true }
        return connections.take(now: LoopState.throttleClock())
    }
}
