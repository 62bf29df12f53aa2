/// Finds mapping keys that are not scalars (`? [a, b]: c`, `[a]: b`, `{a: b}: c`, `*alias : v`) in YAML
/// or JSON text, before the text reaches the YAML composer.
///
/// Yams checks every mapping for duplicate keys by hashing the key nodes, and a key node is hashed
/// with everything under it, aliases expanded. A few lines of YAML whose keys are aliases of
/// aliases ("billion laughs") would keep the composer hashing for hours. OpenAPI keys are always
/// strings, so the importer rejects any complex key up front, from this linear scan of the text.
///
/// The scan is a small YAML tokenizer: it skips quoted scalars, comments, plain scalars and the
/// bodies of block scalars (`|`, `>`), and reports the line of the first explicit key (`?`), flow
/// collection used as a key, or alias used as a key.
struct ComplexKeyScanner {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var flowDepth = 0
    /// The column of the last key or `-` indicator on the current line: the parent indentation of a
    /// block scalar that starts on it.
    private var lastNodeColumn = -1
    private var blockScalarParent: Int?

    private init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// The line of the first complex key in `text`, or `nil` when every key is a scalar.
    static func firstComplexKey(in text: String) -> Int? {
        var scanner = ComplexKeyScanner(text)
        return scanner.scan()
    }

    private static let space: UInt8 = 0x20, tab: UInt8 = 0x09, newline: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D
    private static let colon: UInt8 = 0x3A, hash: UInt8 = 0x23, comma: UInt8 = 0x2C
    private static let openBracket: UInt8 = 0x5B, closeBracket: UInt8 = 0x5D, openBrace: UInt8 = 0x7B, closeBrace: UInt8 = 0x7D

    private func byte(at position: Int) -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private static func isBlank(_ byte: UInt8?) -> Bool {
        guard let byte else { return true }
        return byte == space || byte == tab || byte == newline || byte == carriageReturn
    }

    private static func isFlowIndicator(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte == comma || byte == openBracket || byte == closeBracket || byte == openBrace || byte == closeBrace
    }

    /// Whether the `:` at `position` is a value indicator (and so what precedes it is a key).
    private func isValueIndicator(at position: Int) -> Bool {
        guard byte(at: position) == Self.colon else { return false }
        let next = byte(at: position + 1)
        return Self.isBlank(next) || (flowDepth > 0 && Self.isFlowIndicator(next))
    }

    private func nextNonSpace(from position: Int) -> Int {
        var position = position
        while let current = byte(at: position), current == Self.space || current == Self.tab { position += 1 }
        return position
    }

    private mutating func skipToEndOfLine() {
        while let current = byte(at: index), current != Self.newline { index += 1 }
    }

    private mutating func newLine() {
        index += 1
        line += 1
        lineStart = index
        lastNodeColumn = -1
    }

    private mutating func scan() -> Int? {
        while index < bytes.count {
            if index == lineStart, skipBlockScalarLine() { continue }
            guard let current = byte(at: index) else { break }
            switch current {
            case Self.newline:
                newLine()
            case Self.space, Self.tab, Self.carriageReturn, Self.comma:
                index += 1
            case Self.hash:
                skipToEndOfLine()
            case 0x22, 0x27:  // " and '
                let start = index
                skipQuoted(quote: current)
                if isValueIndicator(at: nextNonSpace(from: index)) { lastNodeColumn = start - lineStart }
            case Self.openBracket, Self.openBrace:
                flowDepth += 1
                index += 1
            case Self.closeBracket, Self.closeBrace:
                index += 1
                guard flowDepth > 0 else { continue }
                flowDepth -= 1
                // A flow collection followed by `:` is a mapping key (libyaml takes any `:` after a
                // flow collection as a value indicator).
                if byte(at: nextNonSpace(from: index)) == Self.colon { return line }
            case 0x3F where flowDepth > 0 || Self.isBlank(byte(at: index + 1)):  // ? explicit key, as libyaml reads it
                return line
            case 0x2D where flowDepth == 0 && Self.isBlank(byte(at: index + 1)):  // - sequence entry
                lastNodeColumn = index - lineStart
                index += 1
            case Self.colon where isValueIndicator(at: index):
                index += 1
            case 0x2A:  // * alias
                index += 1
                skipAnchorName()
                if byte(at: nextNonSpace(from: index)) == Self.colon { return line }
            case 0x26:  // & anchor
                index += 1
                skipAnchorName()
            case 0x21:  // ! tag
                index += 1
                skipName()
            case 0x7C where flowDepth == 0, 0x3E where flowDepth == 0:  // | and > block scalar headers
                blockScalarParent = lastNodeColumn >= 0 ? lastNodeColumn : (index - lineStart) - 1
                skipToEndOfLine()
            case 0x25 where index == lineStart:  // % directive
                skipToEndOfLine()
            default:
                let start = index
                skipPlainScalar()
                if isValueIndicator(at: index) { lastNodeColumn = start - lineStart }
            }
        }
        return nil
    }

    /// At the start of a line inside a block scalar: skips the line when it belongs to the scalar
    /// (blank, or indented more than the scalar's parent) and reports whether it did.
    private mutating func skipBlockScalarLine() -> Bool {
        guard let parent = blockScalarParent else { return false }
        let firstNonSpace = nextNonSpace(from: index)
        let indent = firstNonSpace - index
        let next = byte(at: firstNonSpace)
        if next == nil || next == Self.newline || next == Self.carriageReturn || indent > parent {
            index = firstNonSpace
            skipToEndOfLine()
            if index < bytes.count { newLine() }
            return true
        }
        blockScalarParent = nil
        return false
    }

    private mutating func skipQuoted(quote: UInt8) {
        index += 1
        while let current = byte(at: index) {
            if quote == 0x22, current == 0x5C {  // backslash escape in a double-quoted scalar
                if byte(at: index + 1) == Self.newline {
                    index += 1
                    newLine()
                } else {
                    index += 2
                }
                continue
            }
            if current == Self.newline {
                newLine()
                continue
            }
            index += 1
            if current == quote {
                // '' inside a single-quoted scalar is an escaped quote.
                if quote == 0x27, byte(at: index) == 0x27 {
                    index += 1
                    continue
                }
                return
            }
        }
    }

    /// libyaml's anchor and alias names: ASCII letters, digits, `-` and `_`.
    private mutating func skipAnchorName() {
        while let current = byte(at: index),
            (0x30...0x39).contains(current) || (0x41...0x5A).contains(current) || (0x61...0x7A).contains(current)
                || current == 0x2D || current == 0x5F
        {
            index += 1
        }
    }

    private mutating func skipName() {
        while let current = byte(at: index), !Self.isBlank(current), !Self.isFlowIndicator(current) { index += 1 }
    }

    private mutating func skipPlainScalar() {
        index += 1
        while let current = byte(at: index) {
            if current == Self.newline || isValueIndicator(at: index) { return }
            if current == Self.hash, let previous = byte(at: index - 1), Self.isBlank(previous) { return }
            if flowDepth > 0, Self.isFlowIndicator(current) { return }
            index += 1
        }
    }
}
