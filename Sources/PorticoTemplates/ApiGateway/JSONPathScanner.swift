/// Parses JSONPath text into segments (see `JSONPath` for the dialect).
struct JSONPathScanner {
    private let source: String
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ source: String) {
        self.source = source
        scalars = Array(source.unicodeScalars)
    }

    private var failure: TemplateRenderError { .invalidJSONPath(source) }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    private mutating func skipSpaces() {
        while peek() == " " { position += 1 }
    }

    /// A path from `$` (or `@` inside a filter) to the end, or to the end of a filter operand.
    mutating func parsePath(relative: Bool = false) throws(TemplateRenderError) -> [JSONPath.Segment] {
        skipSpaces()
        guard peek() == (relative ? "@" : "$") else { throw failure }
        position += 1
        var segments: [JSONPath.Segment] = []
        while let scalar = peek() {
            if scalar == "." {
                if peek(1) == "." {
                    position += 2
                    if peek() == "*" {
                        position += 1
                        segments.append(.descendants(nil))
                    } else if peek() == "[" {
                        // `..['name']`
                        let inner = try parseBracket()
                        guard case .child(let name) = inner else { throw failure }
                        segments.append(.descendants(name))
                    } else {
                        segments.append(.descendants(try parseName()))
                    }
                } else {
                    position += 1
                    if peek() == "*" {
                        position += 1
                        segments.append(.wildcard)
                    } else {
                        segments.append(.child(try parseName()))
                    }
                }
            } else if scalar == "[" {
                segments.append(try parseBracket())
            } else if relative {
                break
            } else {
                throw failure
            }
        }
        return segments
    }

    /// A dot-notation member name: up to the next `.`, `[`, or (in a filter) operator or space.
    private mutating func parseName() throws(TemplateRenderError) -> String {
        let start = position
        while let scalar = peek(), !".[] )=!<>&|".unicodeScalars.contains(scalar) { position += 1 }
        guard position > start else { throw failure }
        return String(String.UnicodeScalarView(scalars[start..<position]))
    }

    private mutating func parseBracket() throws(TemplateRenderError) -> JSONPath.Segment {
        position += 1
        skipSpaces()
        guard let scalar = peek() else { throw failure }
        let segment: JSONPath.Segment
        if scalar == "*" {
            position += 1
            segment = .wildcard
        } else if scalar == "'" || scalar == "\"" {
            var names = [try parseQuoted()]
            skipSpaces()
            while peek() == "," {
                position += 1
                skipSpaces()
                names.append(try parseQuoted())
                skipSpaces()
            }
            segment = names.count == 1 ? .child(names[0]) : .children(names)
        } else if scalar == "?" {
            position += 1
            skipSpaces()
            guard peek() == "(" else { throw failure }
            position += 1
            let filter = try parseFilterOr()
            skipSpaces()
            guard peek() == ")" else { throw failure }
            position += 1
            segment = .filter(filter)
        } else {
            segment = try parseIndexes()
        }
        skipSpaces()
        guard peek() == "]" else { throw failure }
        position += 1
        return segment
    }

    private mutating func parseIndexes() throws(TemplateRenderError) -> JSONPath.Segment {
        let first = parseInteger()
        skipSpaces()
        if peek() == ":" {
            position += 1
            skipSpaces()
            return .slice(start: first, end: parseInteger())
        }
        guard let first else { throw failure }
        var indexes = [first]
        while peek() == "," {
            position += 1
            skipSpaces()
            guard let next = parseInteger() else { throw failure }
            indexes.append(next)
            skipSpaces()
        }
        return indexes.count == 1 ? .index(first) : .indexes(indexes)
    }

    private mutating func parseInteger() -> Int? {
        let start = position
        if peek() == "-" { position += 1 }
        while let scalar = peek(), ("0"..."9").contains(scalar) { position += 1 }
        let text = String(String.UnicodeScalarView(scalars[start..<position]))
        guard let value = Int(text) else {
            position = start
            return nil
        }
        return value
    }

    private mutating func parseQuoted() throws(TemplateRenderError) -> String {
        guard let quote = peek(), quote == "'" || quote == "\"" else { throw failure }
        position += 1
        var text = String.UnicodeScalarView()
        while let scalar = peek(), scalar != quote {
            if scalar == "\\", let next = peek(1) {
                text.append(next)
                position += 2
            } else {
                text.append(scalar)
                position += 1
            }
        }
        guard peek() == quote else { throw failure }
        position += 1
        return String(text)
    }

    /// `a || b || …`, whose operands are `&&` chains.
    private mutating func parseFilterOr() throws(TemplateRenderError) -> FilterExpression {
        var left = try parseFilterAnd()
        while skipSpacesThenMatch("|") {
            left = .or(left, try parseFilterAnd())
        }
        return left
    }

    /// `a && b && …`
    private mutating func parseFilterAnd() throws(TemplateRenderError) -> FilterExpression {
        var left = try parseFilterTerm()
        while skipSpacesThenMatch("&") {
            left = .and(left, try parseFilterTerm())
        }
        return left
    }

    /// Consumes a doubled operator character (`||`, `&&`) after optional spaces.
    private mutating func skipSpacesThenMatch(_ character: Unicode.Scalar) -> Bool {
        skipSpaces()
        guard peek() == character && peek(1) == character else { return false }
        position += 2
        return true
    }

    private mutating func parseFilterTerm() throws(TemplateRenderError) -> FilterExpression {
        skipSpaces()
        if peek() == "!" && peek(1) != "=" {
            position += 1
            return .not(try parseFilterTerm())
        }
        if peek() == "(" {
            position += 1
            let inner = try parseFilterOr()
            skipSpaces()
            guard peek() == ")" else { throw failure }
            position += 1
            return inner
        }
        let left = try parseOperand()
        skipSpaces()
        guard let op = parseOperator() else {
            guard case .current(let path) = left else { throw failure }
            return .exists(path)
        }
        return .comparison(left, op, try parseOperand())
    }

    private mutating func parseOperator() -> FilterOperator? {
        let pairs: [(String, FilterOperator)] = [
            ("==", .equal), ("!=", .notEqual), ("<=", .lessOrEqual), (">=", .greaterOrEqual), ("<", .less), (">", .greater),
        ]
        for (symbol, op) in pairs {
            let symbolScalars = Array(symbol.unicodeScalars)
            if (0..<symbolScalars.count).allSatisfy({ peek($0) == symbolScalars[$0] }) {
                position += symbolScalars.count
                return op
            }
        }
        return nil
    }

    private mutating func parseOperand() throws(TemplateRenderError) -> FilterOperand {
        skipSpaces()
        guard let scalar = peek() else { throw failure }
        switch scalar {
        case "@":
            let segments = try parsePath(relative: true)
            return .current(JSONPath(source: "@", segments: segments))
        case "'", "\"":
            return .string(try parseQuoted())
        default:
            let start = position
            while let next = peek(), !" )&|=!<>".unicodeScalars.contains(next) { position += 1 }
            let word = String(String.UnicodeScalarView(scalars[start..<position]))
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            default:
                if let integer = Int64(word) { return .integer(integer) }
                if let double = Double(word) { return .double(double) }
                throw failure
            }
        }
    }
}

extension JSONPath {
    /// A relative path built by the scanner for `@.a.b` inside a filter.
    init(source: String, segments: [Segment]) {
        self.source = source
        self.segments = segments
    }
}
