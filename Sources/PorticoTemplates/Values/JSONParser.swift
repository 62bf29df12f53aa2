import PorticoModel

/// Parses JSON bytes into template values, keeping object members in document order (API Gateway's
/// JSONPath library returns `LinkedHashMap`s, so `keySet()` and `$input.json('$')` keep the order
/// the client sent). Integers that fit 64 bits stay integers; other numbers become doubles.
///
/// Nesting is capped at `TemplateValue.maxNesting` so a hostile body cannot overflow the stack.
struct JSONParser {
    /// The body's bytes, borrowed for the parse: reading through a buffer pointer costs no
    /// reference counting per byte, which a profile showed dominating the parse.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses a whole document; trailing non-space bytes are an error.
    static func parse(_ bytes: [UInt8]) throws(TemplateRenderError) -> TemplateValue {
        try bytes.withUnsafeBufferPointer { buffer throws(TemplateRenderError) -> TemplateValue in
            var parser = JSONParser(buffer)
            parser.skipSpace()
            let value = try parser.parseValue(depth: 0)
            parser.skipSpace()
            guard parser.position == buffer.count else { throw parser.failure("unexpected data after the JSON value") }
            return value
        }
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    static func parse(_ text: String) throws(TemplateRenderError) -> TemplateValue {
        try parse(Array(text.utf8))
    }

    private func failure(_ message: String) -> TemplateRenderError {
        .invalidJSON("\(message) at offset \(position)")
    }

    private mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): position += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(TemplateRenderError) -> TemplateValue {
        guard position < bytes.count else { throw failure("unexpected end of JSON") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        default: return try parseNumber()
        }
    }

    private mutating func expectWord(_ word: StaticString) throws(TemplateRenderError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw failure("invalid literal") }
        let matches = word.withUTF8Buffer { buffer in
            (0..<count).allSatisfy { bytes[position + $0] == buffer[$0] }
        }
        guard matches else { throw failure("invalid literal") }
        position += count
    }

    private mutating func parseObject(depth: Int) throws(TemplateRenderError) -> TemplateValue {
        guard depth <= TemplateValue.maxNesting else { throw failure("JSON nested too deeply") }
        position += 1
        let map = MapBox()
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .map(map)
        }
        while true {
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw failure("expected a member name") }
            let key = try parseString()
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            position += 1
            skipSpace()
            map.put(key, try parseValue(depth: depth))
            skipSpace()
            guard position < bytes.count else { throw failure("unterminated object") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .map(map)
            } else {
                throw failure("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(TemplateRenderError) -> TemplateValue {
        guard depth <= TemplateValue.maxNesting else { throw failure("JSON nested too deeply") }
        position += 1
        var items: [TemplateValue] = []
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .list(ListBox(items, printsAsJSON: true))
        }
        while true {
            skipSpace()
            items.append(try parseValue(depth: depth))
            skipSpace()
            guard position < bytes.count else { throw failure("unterminated array") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .list(ListBox(items, printsAsJSON: true))
            } else {
                throw failure("expected ',' or ']'")
            }
        }
    }

    private mutating func parseString() throws(TemplateRenderError) -> String {
        position += 1
        let start = position
        // Fast path: no escapes.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let string = text(start..<position)
                position += 1
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("control character in string") }
            position += 1
        }
        var buffer = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: buffer, as: UTF8.self) }
            if byte < 0x20 { throw failure("control character in string") }
            guard byte == UInt8(ascii: "\\") else {
                buffer.append(byte)
                continue
            }
            guard position < bytes.count else { break }
            let escaped = bytes[position]
            position += 1
            if let simple = JSONEscape.simple(escaped) {
                buffer.append(simple)
                continue
            }
            guard escaped == UInt8(ascii: "u") else { throw failure("invalid escape") }
            var unit = try parseHex4()
            if (0xD800..<0xDC00).contains(unit), position + 1 < bytes.count,
               bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                position += 2
                let low = try parseHex4()
                unit = (0xDC00..<0xE000).contains(low) ? 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
            }
            buffer.append(contentsOf: String(Unicode.Scalar(unit) ?? "\u{FFFD}").utf8)
        }
        throw failure("unterminated string")
    }

    private mutating func parseHex4() throws(TemplateRenderError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = HexDigit.value(bytes[position]) else { throw failure("invalid \\u escape") }
            value = value * 16 + UInt32(digit)
            position += 1
        }
        return value
    }

    private mutating func parseNumber() throws(TemplateRenderError) -> TemplateValue {
        let start = position
        var isInteger = true
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        let digitsStart = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                position += 1
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                isInteger = false
                position += 1
            } else {
                break
            }
        }
        guard position > digitsStart else { throw failure("unexpected character") }
        let number = text(start..<position)
        if isInteger, let value = Int64(number) { return .integer(value) }
        guard let value = Double(number) else { throw failure("invalid number") }
        return .double(value)
    }
}
