/// A cursor over the template's UTF-8 bytes, with the character classes of Velocity 1.7's
/// grammar. The parser reads through it; it reports positions as line and column.
struct Lexer {
    let bytes: [UInt8]
    var position = 0
    /// Where reading stops: the end of the template, or the closing quote of a string literal
    /// whose contents are being parsed as a template.
    var end: Int

    init(_ source: String) {
        bytes = Array(source.utf8)
        end = bytes.count
    }

    var isAtEnd: Bool { position >= end }

    func peek(_ offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < end ? bytes[index] : nil
    }

    func peek(is character: Unicode.Scalar, at offset: Int = 0) -> Bool {
        peek(offset) == UInt8(ascii: character)
    }

    /// Whether the bytes at the cursor spell `word`.
    func lookingAt(_ word: String) -> Bool {
        var index = position
        for byte in word.utf8 {
            guard index < end, bytes[index] == byte else { return false }
            index += 1
        }
        return true
    }

    mutating func advance(_ count: Int = 1) {
        position = min(position + count, end)
    }

    mutating func skipSpaces() {
        while let byte = peek(), Self.isSpace(byte) || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            position += 1
        }
    }

    /// Consumes `[ \t]*` and one line break after a directive, as Velocity 1.7 does, so that a
    /// directive alone on its line leaves no empty line behind.
    mutating func skipTrailingLineBreak() {
        var index = position
        while index < end, Self.isSpace(bytes[index]) { index += 1 }
        if index < end, bytes[index] == UInt8(ascii: "\n") {
            position = index + 1
        } else if index < end, bytes[index] == UInt8(ascii: "\r") {
            position = index + 1
            if peek(is: "\n") { position += 1 }
        }
    }

    /// Reads a Velocity identifier: a letter or `_`, then letters, digits, `-` and `_`
    /// (Velocity 1.7 allows `-`, so `$a-b` is one name).
    mutating func identifier() -> String? {
        guard let first = peek(), Self.isIdentifierStart(first) else { return nil }
        let start = position
        position += 1
        while let byte = peek(), Self.isIdentifierPart(byte) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    func text(from start: Int, to end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// Line and column (1-based, column in Unicode scalars) of a byte offset.
    func location(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        isLetter(byte) || byte == UInt8(ascii: "_")
    }

    static func isIdentifierPart(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }
}
