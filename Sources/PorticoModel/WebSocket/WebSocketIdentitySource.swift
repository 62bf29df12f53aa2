extension HttpIdentitySource {
    /// A WebSocket API Lambda authorizer's identity source, in its own syntax (AWS CLI reference,
    /// `create-authorizer`: "For WebSocket APIs, ... `route.request.header.Auth`,
    /// `route.request.querystring.Name`", plus `stageVariables.*` and `context.*` as REST uses them).
    public init?(webSocketExpression expression: String) {
        self.init(expression, header: "route.request.header.", queryString: "route.request.querystring.", context: "context.", stageVariable: "stageVariables.")
    }
}
