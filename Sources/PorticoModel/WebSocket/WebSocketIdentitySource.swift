extension HttpIdentitySource {
    /// A WebSocket API Lambda authorizer's identity source, in its own syntax (AWS CLI reference,
    /// `create-authorizer`: "For WebSocket APIs, ... `route.request.header.Auth`,
    /// `route.request.querystring.Name`", plus `stageVariables.*` and `context.*` as REST uses them).
    public init?(webSocketExpression expression: String) {
        let rules: [(prefix: String, make: (String) -> HttpIdentitySource)] = [
            ("route.request.header.", { .header($0) }), ("route.request.querystring.", { .queryString($0) }),
            ("context.", { .context($0) }), ("stageVariables.", { .stageVariable($0) }),
        ]
        for rule in rules where expression.hasPrefix(rule.prefix) {
            let name = String(expression.dropFirst(rule.prefix.count))
            guard !name.isEmpty else { return nil }
            self = rule.make(name)
            return
        }
        return nil
    }
}
