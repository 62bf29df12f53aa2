/// One identity source of an HTTP API Lambda authorizer: `$request.header.{name}`,
/// `$request.querystring.{name}`, `$context.{name}` or `$stageVariables.{name}` (AWS: "Working with
/// AWS Lambda authorizers for HTTP APIs"). Header names are matched case-insensitively.
public enum HttpIdentitySource: Sendable, Equatable {
    case header(String)
    case queryString(String)
    case context(String)
    case stageVariable(String)

    public init?(expression: String) {
        self.init(expression, header: "$request.header.", queryString: "$request.querystring.", context: "$context.", stageVariable: "$stageVariables.")
    }

    /// The source `expression` names, in a syntax given by its four prefixes (HTTP APIs' `$request.header.`,
    /// WebSocket APIs' `route.request.header.`, ...); nil for anything else or an empty name.
    init?(_ expression: String, header: String, queryString: String, context: String, stageVariable: String) {
        let rules: [(prefix: String, make: (String) -> HttpIdentitySource)] = [
            (header, { .header($0) }), (queryString, { .queryString($0) }), (context, { .context($0) }), (stageVariable, { .stageVariable($0) }),
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
