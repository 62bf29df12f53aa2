/// Parses a template's text, directives and references into `Node`s (Velocity 1.7's grammar, as
/// API Gateway runs it). Expressions are in `Parser+Expressions.swift`.
struct Parser {
    var lexer: Lexer
    let limits: MappingTemplateLimits
    /// Variable name → slot, shared by the whole template.
    private(set) var slots: [String: Int]
    var depth = 0
    /// Whether any reference may read the payload (see `MappingTemplate.readsBody`).
    var readsBody = false
    /// Macro name → number, for definitions and calls alike (a call may come before the
    /// definition: Velocity resolves inline macros when it renders).
    private var macroNumbers: [String: Int] = [:]
    /// Definitions by number; nil for a name only ever called.
    private(set) var macros: [Macro?] = []

    init(source: String, limits: MappingTemplateLimits) {
        lexer = Lexer(source)
        self.limits = limits
        slots = Dictionary(uniqueKeysWithValues: BuiltinSlot.names.enumerated().map { ($1, $0) })
    }

    /// How a block ended.
    enum Terminator {
        case endOfInput
        case end
        case elseIf(Expression, at: Int)
        case otherwise(at: Int)
    }

    /// Parses the whole template.
    mutating func parseTemplate() throws(TemplateSyntaxError) -> [Node] {
        let (nodes, terminator) = try parseBlock()
        switch terminator {
        case .endOfInput: return nodes
        case .end: throw error("#end without a matching #if or #foreach", at: lexer.position)
        case .elseIf(_, let at): throw error("#elseif without a matching #if", at: at)
        case .otherwise(let at): throw error("#else without a matching #if", at: at)
        }
    }

    var slotCount: Int { slots.count }

    private mutating func macroNumber(for name: String) -> Int {
        if let number = macroNumbers[name] { return number }
        macroNumbers[name] = macros.count
        macros.append(nil)
        return macros.count - 1
    }

    func error(_ message: String, at offset: Int) -> TemplateSyntaxError {
        let (line, column) = lexer.location(of: offset)
        return TemplateSyntaxError(line: line, column: column, message: message)
    }

    mutating func slot(for name: String) -> Int {
        if let slot = slots[name] { return slot }
        let slot = slots.count
        slots[name] = slot
        return slot
    }

    mutating func enter(at offset: Int) throws(TemplateSyntaxError) {
        depth += 1
        if depth > limits.maxNestingDepth {
            throw error("nested more than \(limits.maxNestingDepth) levels deep", at: offset)
        }
    }

    /// Parses text, references and directives up to `#end`, `#else`, `#elseif` or the end.
    mutating func parseBlock() throws(TemplateSyntaxError) -> ([Node], Terminator) {
        var nodes: [Node] = []
        var text: [UInt8] = []
        // Whether `text` starts at the beginning of a line (for `#set`'s indentation gobbling).
        var textStartsLine = lexer.position == 0 || lexer.bytes[lexer.position - 1] == UInt8(ascii: "\n")

        func flush() {
            if !text.isEmpty {
                nodes.append(.text(String(decoding: text, as: UTF8.self)))
                text.removeAll(keepingCapacity: true)
            }
        }

        while let byte = lexer.peek() {
            switch byte {
            case UInt8(ascii: "$"):
                if let reference = try parseReference() {
                    flush()
                    textStartsLine = false
                    nodes.append(.reference(reference))
                } else {
                    text.append(byte)
                    lexer.advance()
                }
            case UInt8(ascii: "\\"):
                if let escaped = try parseBackslashes(into: &text) {
                    flush()
                    textStartsLine = false
                    nodes.append(escaped)
                }
            case UInt8(ascii: "#"):
                let start = lexer.position
                if lexer.peek(is: "#", at: 1) {
                    // `##` comment: to the end of the line, line break included.
                    while let next = lexer.peek(), next != UInt8(ascii: "\n") { lexer.advance() }
                    lexer.advance()
                    continue
                }
                if lexer.peek(is: "*", at: 1) {
                    lexer.advance(2)
                    try skip(until: "*#", from: start, what: "comment")
                    continue
                }
                if lexer.lookingAt("#[[") {
                    lexer.advance(3)
                    let contentStart = lexer.position
                    try skip(until: "]]#", from: start, what: "#[[ unparsed content")
                    text.append(contentsOf: lexer.bytes[contentStart..<(lexer.position - 3)])
                    continue
                }
                guard let directive = readDirectiveName() else {
                    if let call = try parseMacroCall() {
                        flush()
                        textStartsLine = false
                        nodes.append(call)
                        continue
                    }
                    // Velocity renders an unknown `#word` as text (a colour, an anchor…).
                    text.append(byte)
                    lexer.advance()
                    continue
                }
                switch directive {
                case "set":
                    if textStartsLine || text.contains(UInt8(ascii: "\n")) {
                        // Velocity 1.7 drops the indentation before a `#set` on its own line.
                        let lineStart = (text.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
                        if text[lineStart...].allSatisfy(Lexer.isSpace) { text.removeSubrange(lineStart...) }
                    }
                    flush()
                    nodes.append(try parseSet(at: start))
                case "if":
                    flush()
                    nodes.append(try parseIf(at: start))
                case "foreach":
                    flush()
                    nodes.append(try parseForeach(at: start))
                case "elseif":
                    flush()
                    let condition = try parseParenthesizedCondition(directive: "#elseif", at: start)
                    lexer.skipTrailingLineBreak()
                    return (nodes, .elseIf(condition, at: start))
                case "else":
                    flush()
                    lexer.skipTrailingLineBreak()
                    return (nodes, .otherwise(at: start))
                case "end":
                    flush()
                    lexer.skipTrailingLineBreak()
                    return (nodes, .end)
                case "break", "stop":
                    flush()
                    lexer.skipTrailingLineBreak()
                    nodes.append(directive == "break" ? .breakLoop : .stop)
                case "define":
                    flush()
                    nodes.append(try parseDefine(at: start))
                case "macro":
                    flush()
                    try parseMacroDefinition(at: start)
                case "include", "parse", "evaluate":
                    throw error("#\(directive) is not supported in API Gateway mapping templates", at: start)
                default:
                    preconditionFailure("readDirectiveName returned an unknown directive")
                }
                textStartsLine = lexer.position == 0 || lexer.bytes[lexer.position - 1] == UInt8(ascii: "\n")
            default:
                text.append(byte)
                lexer.advance()
            }
        }
        flush()
        return (nodes, .endOfInput)
    }

    /// Reads `#name` or `#{name}` naming a directive and returns the name, leaving the cursor
    /// after it; nil (cursor unchanged) for anything else.
    private mutating func readDirectiveName() -> String? {
        let start = lexer.position
        lexer.advance()
        let braced = lexer.peek(is: "{")
        if braced { lexer.advance() }
        guard let name = lexer.identifier() else {
            lexer.position = start
            return nil
        }
        if braced {
            guard lexer.peek(is: "}") else {
                lexer.position = start
                return nil
            }
            lexer.advance()
        }
        guard Self.directives.contains(name) else {
            lexer.position = start
            return nil
        }
        return name
    }

    private static let directives: Set<String> = [
        "set", "if", "elseif", "else", "end", "foreach", "break", "stop", "macro", "include", "parse", "evaluate", "define",
    ]

    private mutating func skip(until terminator: String, from start: Int, what: String) throws(TemplateSyntaxError) {
        while !lexer.isAtEnd {
            if lexer.lookingAt(terminator) {
                lexer.advance(terminator.utf8.count)
                return
            }
            lexer.advance()
        }
        throw error("unterminated \(what)", at: start)
    }

    /// `\` runs: `\$ref` and `\#directive` escapes (Velocity 1.7): an even number of backslashes
    /// renders half of them and leaves what follows live; an odd number also makes it literal.
    /// Returns the escaped reference node, or nil when the backslashes (and any escaped
    /// directive) went into `text`.
    private mutating func parseBackslashes(into text: inout [UInt8]) throws(TemplateSyntaxError) -> Node? {
        var count = 0
        while lexer.peek(is: "\\") {
            count += 1
            lexer.advance()
        }
        if lexer.peek(is: "$") {
            let save = lexer.position
            if let reference = try parseReference() {
                return .escapedReference(backslashes: count, reference)
            }
            lexer.position = save
        } else if lexer.peek(is: "#") {
            let save = lexer.position
            if readDirectiveName() != nil {
                text.append(contentsOf: repeatElement(UInt8(ascii: "\\"), count: count / 2))
                if count % 2 == 1 {
                    text.append(contentsOf: lexer.bytes[save..<lexer.position])
                } else {
                    lexer.position = save
                }
                return nil
            }
            lexer.position = save
        }
        text.append(contentsOf: repeatElement(UInt8(ascii: "\\"), count: count))
        return nil
    }

    private mutating func expect(_ character: Unicode.Scalar, in directive: String, at start: Int) throws(TemplateSyntaxError) {
        lexer.skipSpaces()
        guard lexer.peek(is: character) else {
            throw error("expected '\(character)' in \(directive)", at: lexer.position)
        }
        lexer.advance()
    }

    private mutating func parseSet(at start: Int) throws(TemplateSyntaxError) -> Node {
        try expect("(", in: "#set", at: start)
        lexer.skipSpaces()
        guard let target = try parseReference() else { throw error("#set needs a reference on its left", at: lexer.position) }
        try expect("=", in: "#set", at: start)
        let value = try parseExpression()
        try expect(")", in: "#set", at: start)
        lexer.skipTrailingLineBreak()
        return .set(target, value)
    }

    private mutating func parseParenthesizedCondition(directive: String, at start: Int) throws(TemplateSyntaxError) -> Expression {
        try expect("(", in: directive, at: start)
        let condition = try parseExpression()
        try expect(")", in: directive, at: start)
        return condition
    }

    private mutating func parseIf(at start: Int) throws(TemplateSyntaxError) -> Node {
        try enter(at: start)
        defer { depth -= 1 }
        var condition = try parseParenthesizedCondition(directive: "#if", at: start)
        lexer.skipTrailingLineBreak()
        var branches: [ConditionalBranch] = []
        while true {
            let (body, terminator) = try parseBlock()
            branches.append(ConditionalBranch(condition: condition, body: body))
            switch terminator {
            case .endOfInput: throw error("#if has no matching #end", at: start)
            case .end: return .conditional(branches, otherwise: nil)
            case .elseIf(let next, _): condition = next
            case .otherwise:
                let (elseBody, elseTerminator) = try parseBlock()
                guard case .end = elseTerminator else { throw error("#if has no matching #end", at: start) }
                return .conditional(branches, otherwise: elseBody)
            }
        }
    }

    /// `$name` or `${name}` as a directive's variable.
    mutating func parseVariableName(in directive: String, at start: Int) throws(TemplateSyntaxError) -> String {
        lexer.skipSpaces()
        guard lexer.peek(is: "$") else { throw error("\(directive) needs a variable", at: lexer.position) }
        lexer.advance()
        let braced = lexer.peek(is: "{")
        if braced { lexer.advance() }
        guard let name = lexer.identifier() else { throw error("\(directive) needs a variable", at: lexer.position) }
        if braced { try expect("}", in: directive, at: start) }
        return name
    }

    /// `#define($name) … #end` (Velocity 1.7; the Serverless Framework's widely used Lambda
    /// template defines `$loop` this way).
    private mutating func parseDefine(at start: Int) throws(TemplateSyntaxError) -> Node {
        try enter(at: start)
        defer { depth -= 1 }
        try expect("(", in: "#define", at: start)
        let name = try parseVariableName(in: "#define", at: start)
        try expect(")", in: "#define", at: start)
        lexer.skipTrailingLineBreak()
        let (body, terminator) = try parseBlock()
        guard case .end = terminator else { throw error("#define has no matching #end", at: start) }
        return .define(slot: slot(for: name), body: body)
    }

    /// `#macro(name $a $b) … #end` (parameters separated by spaces or commas). Registered for
    /// the whole template; it renders nothing where it stands.
    private mutating func parseMacroDefinition(at start: Int) throws(TemplateSyntaxError) {
        try enter(at: start)
        defer { depth -= 1 }
        try expect("(", in: "#macro", at: start)
        lexer.skipSpaces()
        guard let name = lexer.identifier() else { throw error("#macro needs a name", at: lexer.position) }
        let parameters = try parseMacroList { parser throws(TemplateSyntaxError) in
            parser.slot(for: try parser.parseVariableName(in: "#macro", at: start))
        }
        lexer.skipTrailingLineBreak()
        let (body, terminator) = try parseBlock()
        guard case .end = terminator else { throw error("#macro has no matching #end", at: start) }
        macros[macroNumber(for: name)] = Macro(parameters: parameters, body: body)
    }

    /// Items up to and including `)`, separated by spaces or commas, as Velocity's macro
    /// parameter and argument lists are.
    private mutating func parseMacroList<Item>(
        _ parseItem: (inout Parser) throws(TemplateSyntaxError) -> Item
    ) throws(TemplateSyntaxError) -> [Item] {
        var items: [Item] = []
        while true {
            lexer.skipSpaces()
            if lexer.peek(is: ",") {
                lexer.advance()
            } else if lexer.peek(is: ")") {
                lexer.advance()
                return items
            } else {
                items.append(try parseItem(&self))
            }
        }
    }

    /// `#name(arguments)` where `name` is no directive: a macro call (arguments separated by
    /// spaces or commas). nil, with the cursor unchanged, when the text is not of that form:
    /// then it is plain text, as Velocity treats `#fff` or `#anchor`.
    private mutating func parseMacroCall() throws(TemplateSyntaxError) -> Node? {
        let start = lexer.position
        lexer.advance()
        guard let name = lexer.identifier() else {
            lexer.position = start
            return nil
        }
        var cursor = lexer
        cursor.skipSpaces()
        guard cursor.peek(is: "(") else {
            lexer.position = start
            return nil
        }
        lexer = cursor
        lexer.advance()
        guard let arguments = try? parseMacroList({ parser throws(TemplateSyntaxError) in try parser.parseExpression() }) else {
            lexer.position = start
            return nil
        }
        return .macroCall(macro: macroNumber(for: name), arguments: arguments, source: lexer.text(from: start, to: lexer.position))
    }

    private mutating func parseForeach(at start: Int) throws(TemplateSyntaxError) -> Node {
        try enter(at: start)
        defer { depth -= 1 }
        try expect("(", in: "#foreach", at: start)
        let name = try parseVariableName(in: "#foreach", at: start)
        lexer.skipSpaces()
        guard lexer.lookingAt("in"), !(lexer.peek(2).map(Lexer.isIdentifierPart) ?? false) else {
            throw error("expected 'in' in #foreach", at: lexer.position)
        }
        lexer.advance(2)
        let iterable = try parseExpression()
        try expect(")", in: "#foreach", at: start)
        lexer.skipTrailingLineBreak()
        let (body, terminator) = try parseBlock()
        guard case .end = terminator else {
            if case .endOfInput = terminator { throw error("#foreach has no matching #end", at: start) }
            throw error("#else inside #foreach without #if", at: start)
        }
        return .foreach(Foreach(slot: slot(for: name), iterable: iterable, body: body))
    }
}
