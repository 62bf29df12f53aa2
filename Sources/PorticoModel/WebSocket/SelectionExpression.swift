/// A WebSocket selection expression (`routeSelectionExpression`, `templateSelectionExpression`,
/// ...), parsed: literal text and `$request.body{path}` references (AWS, "WebSocket selection
/// expressions"): a variable starts with `$`, `${...}` marks its bounds inside other text,
/// several variables may appear and are evaluated once, and `\$` is a literal dollar (so
/// `\$default` names the `$default` key).
public struct SelectionExpression: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        case literal(String)
        /// The JSONPath after `$request.body`, e.g. `.action` or `.data['room']` (empty: the whole body).
        case body(String)
        /// `$integration.response.statuscode` (integration responses' template selection only).
        case integrationStatusCode
        /// `$integration.response.header.NAME` or `.multivalueheader.NAME` (integration responses only).
        case integrationHeader(String)
    }

    public let parts: [Part]

    /// Why an expression does not parse, in words a management API error can carry.
    public struct Failure: Error, Sendable, Equatable {
        public let reason: String
    }

    /// Parses `text`; only `$request.body` variables are known (the one kind AWS documents for
    /// route selection on WebSocket APIs), and with `integrationResponse` also the integration response's
    /// `statuscode`, `header.NAME` and `multivalueheader.NAME` (AWS: an IntegrationResponse's
    /// TemplateSelectionExpression "supports ${request.body.jsonPath}, ${integration.response.statuscode},
    /// ${integration.response.header.headerName}, ${integration.response.multivalueheader.headerName}").
    public init(parsing text: String, integrationResponse: Bool = false) throws(Failure) {
        var parts: [Part] = []
        var literal = ""
        var index = text.startIndex
        func flush() {
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
        }
        while index < text.endIndex {
            let character = text[index]
            if character == "\\", text.index(after: index) < text.endIndex, text[text.index(after: index)] == "$" {
                literal.append("$")
                index = text.index(index, offsetBy: 2)
                continue
            }
            guard character == "$" else {
                literal.append(character)
                index = text.index(after: index)
                continue
            }
            let rest = text[index...]
            let variable: Substring
            if rest.hasPrefix("${") {
                guard let close = rest.firstIndex(of: "}") else {
                    throw Failure(reason: "unclosed '${' at offset \(text.distance(from: text.startIndex, to: index))")
                }
                variable = text[text.index(index, offsetBy: 2)..<close]
                index = text.index(after: close)
            } else {
                let start = text.index(after: index)
                var end = start
                while end < text.endIndex, Self.isVariableCharacter(text[end]) { end = text.index(after: end) }
                variable = text[start..<end]
                index = end
            }
            if integrationResponse, variable == "integration.response.statuscode" {
                flush()
                parts.append(.integrationStatusCode)
                continue
            }
            if integrationResponse,
                let prefix = ["integration.response.header.", "integration.response.multivalueheader."].first(where: { variable.hasPrefix($0) }),
                variable.count > prefix.count
            {
                flush()
                parts.append(.integrationHeader(String(variable.dropFirst(prefix.count))))
                continue
            }
            guard variable.hasPrefix("request.body") else {
                throw Failure(reason: "unsupported variable '$\(variable)': only $request.body variables can be used")
            }
            let path = variable.dropFirst("request.body".count)
            guard path.isEmpty || Self.isValidPath(path) else {
                throw Failure(reason: "invalid JSON path '\(path)' after $request.body")
            }
            flush()
            parts.append(.body(String(path)))
        }
        flush()
        self.parts = parts
    }

    /// The text of an expression with no variables (`$default`, written `\$default`).
    public var constant: String? {
        if parts.isEmpty { return "" }
        if parts.count == 1, case .literal(let text) = parts[0] { return text }
        return nil
    }

    static func isVariableCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || "-_.[]'*".contains(character)
    }

    /// `.name`, `['name']` and `[index]` steps (the JSONPath subset API Gateway's body references take).
    static func isValidPath(_ path: Substring) -> Bool {
        var rest = path
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let name = rest.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { return false }
                rest = rest.dropFirst(name.count)
            } else if rest.hasPrefix("['"), let close = rest.range(of: "']") {
                rest = rest[close.upperBound...]
            } else if rest.hasPrefix("["), let close = rest.firstIndex(of: "]"), Int(rest[rest.index(after: rest.startIndex)..<close]) != nil {
                rest = rest[rest.index(after: close)...]
            } else {
                return false
            }
        }
        return true
    }
}
