/// One identity source of an HTTP API Lambda authorizer: `$request.header.{name}`,
/// `$request.querystring.{name}`, `$context.{name}` or `$stageVariables.{name}` (AWS: "Working with
/// AWS Lambda authorizers for HTTP APIs"). Header names are matched case-insensitively.
public enum HttpIdentitySource: Sendable, Equatable {
    case header(String)
    case queryString(String)
    case context(String)
    case stageVariable(String)

    public init?(expression: String) {
        let rules: [(prefix: String, make: (String) -> HttpIdentitySource)] = [
            ("$request.header.", { .header($0) }), ("$request.querystring.", { .queryString($0) }),
            ("$context.", { .context($0) }), ("$stageVariables.", { .stageVariable($0) }),
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
