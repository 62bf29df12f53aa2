/// One identity source of a REST Lambda authorizer, parsed from its mapping expression:
/// `method.request.header.{name}`, `method.request.querystring.{name}`, `stageVariables.{name}`
/// or `context.{name}` (AWS: "Input to an API Gateway Lambda authorizer"; a TOKEN authorizer
/// takes exactly one header).
public enum RestAuthorizerSource: Sendable, Equatable {
    case header(String)
    case queryString(String)
    case stageVariable(String)
    case context(String)

    public init?(expression: String) {
        let rules: [(prefix: String, make: (String) -> RestAuthorizerSource)] = [
            ("method.request.header.", { .header($0) }), ("method.request.querystring.", { .queryString($0) }),
            ("stageVariables.", { .stageVariable($0) }), ("context.", { .context($0) }),
        ]
        for rule in rules where expression.hasPrefix(rule.prefix) {
            let name = String(expression.dropFirst(rule.prefix.count))
            // AWS's pattern for names: `[a-zA-Z0-9._-]+`.
            guard !name.isEmpty, name.utf8.allSatisfy(Self.isNameByte) else { return nil }
            self = rule.make(name)
            return
        }
        return nil
    }

    /// The comma list of a REQUEST authorizer (or TOKEN's one header); nil when one is invalid.
    public static func list(_ text: String?) -> [RestAuthorizerSource]? {
        guard let text else { return [] }
        var sources: [RestAuthorizerSource] = []
        for part in text.split(separator: ",") {
            var trimmed = part
            while trimmed.first == " " { trimmed = trimmed.dropFirst() }
            while trimmed.last == " " { trimmed = trimmed.dropLast() }
            guard let source = RestAuthorizerSource(expression: String(trimmed)) else { return nil }
            sources.append(source)
        }
        return sources
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }
}
