/// References and expressions: `$a.b(...)[i]`, literals, operators (Velocity 1.7 precedence:
/// `||` < `&&` < `== !=` < `< > <= >=` < `+ -` < `* / %` < `! -`).
extension Parser {
    /// Parses `$a`, `$!a`, `${a}`, `$!{a}` with their `.name`, `.name(args)` and `[index]` steps.
    /// Returns nil, with the cursor where it was, when the `$` starts no reference (it is text).
    mutating func parseReference() throws(TemplateSyntaxError) -> Reference? {
        let start = lexer.position
        lexer.advance()
        let quiet = lexer.peek(is: "!")
        if quiet { lexer.advance() }
        let braced = lexer.peek(is: "{")
        if braced { lexer.advance() }
        guard let name = lexer.identifier() else {
            lexer.position = start
            return nil
        }
        let steps = try parseSteps()
        if braced {
            guard lexer.peek(is: "}") else {
                lexer.position = start
                return nil
            }
            lexer.advance()
        }
        if name == BuiltinSlot.names[BuiltinSlot.input] && !Self.readsOnlyParameters(steps) { readsBody = true }
        return Reference(slot: slot(for: name), quiet: quiet, steps: steps, source: lexer.text(from: start, to: lexer.position))
    }

    /// `$input.params(…)` and `$input.params().…` never touch the payload; any other use of
    /// `$input` (including passing `$input` itself around) is taken to read it.
    private static func readsOnlyParameters(_ steps: [ReferenceStep]) -> Bool {
        switch steps.first {
        case .method(let call)?: call.name == .params
        case .property(let name)?: name == "params"
        default: false
        }
    }

    private mutating func parseSteps() throws(TemplateSyntaxError) -> [ReferenceStep] {
        var steps: [ReferenceStep] = []
        while true {
            if lexer.peek(is: "."), let next = lexer.peek(1), Lexer.isIdentifierStart(next) {
                lexer.advance()
                let nameStart = lexer.position
                let name = lexer.identifier()!
                if lexer.peek(is: "(") {
                    lexer.advance()
                    let arguments = try parseArguments(closing: ")", at: nameStart)
                    let method = MethodName(name)
                    // Literal regexes and paths are compiled once here; a bad one is left for
                    // the render to report, as API Gateway reports it only when it runs.
                    var regex: JavaRegex?
                    var jsonPath: JSONPath?
                    if case .constant(.string(let literal))? = arguments.first {
                        if method.takesRegex { regex = try? JavaRegex(literal) }
                        if method == .json || method == .path { jsonPath = try? JSONPath(literal) }
                    }
                    steps.append(.method(MethodCall(name: method, arguments: arguments, regex: regex, jsonPath: jsonPath)))
                } else {
                    steps.append(.property(name))
                }
            } else if lexer.peek(is: "[") {
                // `$a[0]`, `$map['key']` (Velocity 1.7 index notation). A `[` that does not
                // start an index is text: `$a[` in JSON output stays as it is.
                let save = lexer.position
                lexer.advance()
                let index = try? parseExpression()
                lexer.skipSpaces()
                guard let index, lexer.peek(is: "]") else {
                    lexer.position = save
                    return steps
                }
                lexer.advance()
                steps.append(.index(index))
            } else {
                return steps
            }
        }
    }

    /// Comma-separated expressions up to `closing`; the opening bracket is already read.
    private mutating func parseArguments(closing: Unicode.Scalar, at start: Int) throws(TemplateSyntaxError) -> [Expression] {
        var arguments: [Expression] = []
        lexer.skipSpaces()
        if lexer.peek(is: closing) {
            lexer.advance()
            return arguments
        }
        while true {
            arguments.append(try parseExpression())
            lexer.skipSpaces()
            if lexer.peek(is: ",") {
                lexer.advance()
            } else if lexer.peek(is: closing) {
                lexer.advance()
                return arguments
            } else {
                throw error("expected ',' or '\(closing)'", at: lexer.isAtEnd ? start : lexer.position)
            }
        }
    }

    mutating func parseExpression() throws(TemplateSyntaxError) -> Expression {
        try enter(at: lexer.position)
        defer { depth -= 1 }
        return try parseBinary(level: 0)
    }

    /// Operator levels from loosest to tightest.
    private static let levels: [[(symbol: String, word: String?, op: BinaryOperator)]] = [
        [("||", "or", .or)],
        [("&&", "and", .and)],
        [("==", "eq", .equal), ("!=", "ne", .notEqual)],
        [("<=", "le", .lessOrEqual), (">=", "ge", .greaterOrEqual), ("<", "lt", .less), (">", "gt", .greater)],
        [("+", nil, .add), ("-", nil, .subtract)],
        [("*", nil, .multiply), ("/", nil, .divide), ("%", nil, .remainder)],
    ]

    private mutating func parseBinary(level: Int) throws(TemplateSyntaxError) -> Expression {
        guard level < Self.levels.count else { return try parseUnary() }
        var left = try parseBinary(level: level + 1)
        while let op = matchOperator(Self.levels[level]) {
            let right = try parseBinary(level: level + 1)
            left = .binary(op, left, right)
        }
        return left
    }

    private mutating func matchOperator(_ candidates: [(symbol: String, word: String?, op: BinaryOperator)]) -> BinaryOperator? {
        lexer.skipSpaces()
        for candidate in candidates {
            if lexer.lookingAt(candidate.symbol) {
                // `=` alone is assignment, not `==`; `!` alone is negation.
                lexer.advance(candidate.symbol.utf8.count)
                return candidate.op
            }
            if let word = candidate.word, lookingAtWord(word) {
                lexer.advance(word.utf8.count)
                return candidate.op
            }
        }
        return nil
    }

    private func lookingAtWord(_ word: String) -> Bool {
        lexer.lookingAt(word) && !(lexer.peek(word.utf8.count).map(Lexer.isIdentifierPart) ?? false)
    }

    private mutating func parseUnary() throws(TemplateSyntaxError) -> Expression {
        lexer.skipSpaces()
        if lexer.peek(is: "!"), !lexer.peek(is: "=", at: 1) {
            lexer.advance()
            try enter(at: lexer.position)
            defer { depth -= 1 }
            return .not(try parseUnary())
        }
        if lookingAtWord("not") {
            lexer.advance(3)
            try enter(at: lexer.position)
            defer { depth -= 1 }
            return .not(try parseUnary())
        }
        if lexer.peek(is: "-"), let next = lexer.peek(1), !Lexer.isDigit(next) {
            lexer.advance()
            try enter(at: lexer.position)
            defer { depth -= 1 }
            return .negate(try parseUnary())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(TemplateSyntaxError) -> Expression {
        lexer.skipSpaces()
        let start = lexer.position
        guard let byte = lexer.peek() else { throw error("expected an expression", at: start) }
        switch byte {
        case UInt8(ascii: "("):
            lexer.advance()
            let inner = try parseExpression()
            lexer.skipSpaces()
            guard lexer.peek(is: ")") else { throw error("expected ')'", at: lexer.position) }
            lexer.advance()
            return inner
        case UInt8(ascii: "$"):
            guard let reference = try parseReference() else { throw error("expected a reference after '$'", at: start) }
            return .reference(reference)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return try parseStringLiteral()
        case UInt8(ascii: "["):
            // Nesting is counted by `parseExpression`, which every element goes through.
            lexer.advance()
            lexer.skipSpaces()
            if lexer.peek(is: "]") {
                lexer.advance()
                return .list([])
            }
            let first = try parseExpression()
            lexer.skipSpaces()
            if lexer.lookingAt("..") {
                lexer.advance(2)
                let last = try parseExpression()
                lexer.skipSpaces()
                guard lexer.peek(is: "]") else { throw error("expected ']' after a range", at: lexer.position) }
                lexer.advance()
                return .range(first, last)
            }
            if lexer.peek(is: "]") {
                lexer.advance()
                return .list([first])
            }
            guard lexer.peek(is: ",") else { throw error("expected ',' or ']'", at: lexer.position) }
            lexer.advance()
            return .list([first] + (try parseArguments(closing: "]", at: start)))
        case UInt8(ascii: "{"):
            lexer.advance()
            return .map(try parseMapEntries(at: start))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            if lookingAtWord("true") {
                lexer.advance(4)
                return .constant(.bool(true))
            }
            if lookingAtWord("false") {
                lexer.advance(5)
                return .constant(.bool(false))
            }
            throw error("unexpected '\(Character(Unicode.Scalar(byte)))' in an expression", at: start)
        }
    }

    private mutating func parseMapEntries(at start: Int) throws(TemplateSyntaxError) -> [MapEntry] {
        var entries: [MapEntry] = []
        lexer.skipSpaces()
        if lexer.peek(is: "}") {
            lexer.advance()
            return entries
        }
        while true {
            let key = try parseExpression()
            lexer.skipSpaces()
            guard lexer.peek(is: ":") else { throw error("expected ':' in a map literal", at: lexer.position) }
            lexer.advance()
            let value = try parseExpression()
            entries.append(MapEntry(key: key, value: value))
            lexer.skipSpaces()
            if lexer.peek(is: ",") {
                lexer.advance()
            } else if lexer.peek(is: "}") {
                lexer.advance()
                return entries
            } else {
                throw error("expected ',' or '}' in a map literal", at: lexer.isAtEnd ? start : lexer.position)
            }
        }
    }

    private mutating func parseNumber() throws(TemplateSyntaxError) -> Expression {
        let start = lexer.position
        if lexer.peek(is: "-") { lexer.advance() }
        while let byte = lexer.peek(), Lexer.isDigit(byte) { lexer.advance() }
        // `1..3` is a range, not the number `1.`.
        var isDouble = false
        if lexer.peek(is: "."), let next = lexer.peek(1), Lexer.isDigit(next) {
            isDouble = true
            lexer.advance()
            while let byte = lexer.peek(), Lexer.isDigit(byte) { lexer.advance() }
        }
        let text = lexer.text(from: start, to: lexer.position)
        if !isDouble, let value = Int64(text) { return .constant(.integer(value)) }
        guard let value = Double(text) else { throw error("invalid number \(text)", at: start) }
        return .constant(.double(value))
    }

    /// `'…'` is taken as written; `"…"` is a small template when it holds `$` or `#`. A backslash
    /// keeps the next character in the string and is itself kept (Velocity 1.7 does not unescape:
    /// `"\\'"` reaches `replaceAll` as the regex `\\'`, as AWS's `escapeJavaScript` example needs).
    private mutating func parseStringLiteral() throws(TemplateSyntaxError) -> Expression {
        let start = lexer.position
        let quote = lexer.peek()!
        lexer.advance()
        let contentStart = lexer.position
        var interpolates = false
        while let byte = lexer.peek(), byte != quote {
            if byte == UInt8(ascii: "\\") { lexer.advance() }
            if byte == UInt8(ascii: "$") || byte == UInt8(ascii: "#") { interpolates = true }
            lexer.advance()
        }
        guard lexer.peek() == quote else { throw error("unterminated string literal", at: start) }
        let contentEnd = lexer.position
        lexer.advance()
        guard quote == UInt8(ascii: "\""), interpolates else {
            return .constant(.string(lexer.text(from: contentStart, to: contentEnd)))
        }
        let resume = lexer.position
        let outerEnd = lexer.end
        lexer.position = contentStart
        lexer.end = contentEnd
        defer {
            lexer.end = outerEnd
            lexer.position = resume
        }
        try enter(at: start)
        defer { depth -= 1 }
        let (nodes, terminator) = try parseBlock()
        guard case .endOfInput = terminator else { throw error("unbalanced directive inside a string literal", at: start) }
        if nodes.count == 1, case .text(let text) = nodes[0] { return .constant(.string(text)) }
        return .interpolated(nodes)
    }
}
