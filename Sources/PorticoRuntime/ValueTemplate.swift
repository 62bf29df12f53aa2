/// A parameter-mapping value, parsed once per deployment: literal text and references such as
/// `$request.header.x-id`, `$context.requestId` or `$stageVariables.env`, in any mix
/// (AWS: "you can combine static values and variables", http-api-parameter-mapping).
public struct ValueTemplate: Sendable, Equatable {
    public enum Reference: Sendable, Equatable {
        case requestHeader(String)            // lower-cased name
        case requestMultiValueHeader(String)
        case requestQuery(String)
        case requestMultiValueQuery(String)
        case requestPathParameter(String)
        case requestPath
        case requestBody(JSONBodyPath)        // JSONPath after `$request.body`
        case responseHeader(String)
        case responseMultiValueHeader(String)
        case responseBody(JSONBodyPath)
        case context(String)
        case stageVariable(String)
    }

    public enum Part: Sendable, Equatable {
        case literal(String)
        case reference(Reference)
    }

    public let parts: [Part]

    /// The value when it has no references.
    public var constant: String? {
        if parts.isEmpty { return "" }
        if parts.count == 1, case .literal(let text) = parts[0] { return text }
        return nil
    }

    public init(parsing text: String) {
        var parts: [Part] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "$", let (reference, end) = Self.reference(in: text, at: index) {
                if !literal.isEmpty {
                    parts.append(.literal(literal))
                    literal = ""
                }
                parts.append(.reference(reference))
                index = end
            } else {
                literal.append(character)
                index = text.index(after: index)
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    /// Whether any reference needs the request body.
    public var needsRequestBody: Bool {
        parts.contains { if case .reference(.requestBody) = $0 { true } else { false } }
    }

    public var needsResponseBody: Bool {
        parts.contains { if case .reference(.responseBody) = $0 { true } else { false } }
    }

    static let prefixes: [(String, @Sendable (String) -> Reference?)] = [
        ("$request.header.", { .requestHeader($0.lowercased()) }),
        ("$request.multivalueheader.", { .requestMultiValueHeader($0.lowercased()) }),
        ("$request.querystring.", { .requestQuery($0) }),
        ("$request.multivaluequerystring.", { .requestMultiValueQuery($0) }),
        ("$request.path.", { .requestPathParameter($0) }),
        ("$request.body", { .requestBody(JSONBodyPath($0)) }),
        ("$response.header.", { .responseHeader($0.lowercased()) }),
        ("$response.multivalueheader.", { .responseMultiValueHeader($0.lowercased()) }),
        ("$response.body", { .responseBody(JSONBodyPath($0)) }),
        ("$context.", { .context($0) }),
        ("$stageVariables.", { .stageVariable($0) }),
    ]

    /// Reads one reference starting at `start` (a `$`), or nil when the text there is literal.
    static func reference(in text: String, at start: String.Index) -> (Reference, String.Index)? {
        let rest = text[start...]
        // `${...}` delimits a reference inside other text, as API Gateway allows for stage variables.
        if rest.hasPrefix("${"), let close = rest.firstIndex(of: "}") {
            let inner = "$" + rest[rest.index(start, offsetBy: 2)..<close]
            if let (reference, end) = reference(in: inner, at: inner.startIndex), end == inner.endIndex {
                return (reference, text.index(after: close))
            }
            return nil
        }
        if rest.hasPrefix("$request.path"), !rest.hasPrefix("$request.path.") {
            let end = text.index(start, offsetBy: "$request.path".count)
            if end == text.endIndex || !isNameCharacter(text[end]) {
                return (.requestPath, end)
            }
        }
        for (prefix, make) in prefixes where rest.hasPrefix(prefix) {
            let nameStart = text.index(start, offsetBy: prefix.count)
            var end = nameStart
            let isBody = prefix.hasSuffix(".body")
            while end < text.endIndex, isBody ? isJSONPathCharacter(text[end]) : isNameCharacter(text[end]) {
                end = text.index(after: end)
            }
            let name = String(text[nameStart..<end])
            if name.isEmpty && !isBody { return nil }
            if let reference = make(name) { return (reference, end) }
        }
        return nil
    }

    static func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "-" || character == "_" || character == "."
    }

    static func isJSONPathCharacter(_ character: Character) -> Bool {
        isNameCharacter(character) || character == "[" || character == "]" || character == "*"
    }
}
