/// Escapes substituted access-log values for the kind of format they sit in (see ``AccessLogFormat``).
enum AccessLogEscaper {
    /// The most bytes one input byte can become: `\u001f` (JSON), `\x1f` (text), `&#xFFFD;` (XML).
    static func maximumExpansion(_ escaping: AccessLogFormat.Escaping) -> Int {
        switch escaping {
        case .json: return 6
        case .text: return 4
        case .xml: return 8
        }
    }

    static func write(_ bytes: UnsafeBufferPointer<UInt8>, escaping: AccessLogFormat.Escaping, to buffer: inout ByteCursor) {
        // Copy clean runs in one go; ids, methods, paths and addresses almost never need escaping.
        var runStart = 0
        while true {
            let special = firstByteNeedingEscape(in: bytes, from: runStart, escaping)
            if runStart < special {
                buffer.write(UnsafeBufferPointer(rebasing: bytes[runStart..<special]))
            }
            guard special < bytes.count else {
                return
            }
            writeEscape(for: bytes[special], escaping, into: &buffer)
            runStart = special + 1
        }
    }

    /// The index of the first byte at or after `start` that needs escaping, or `bytes.count`.
    ///
    /// Looks at eight bytes at a time (SWAR: "does this word hold a byte below 0x20, or equal to one of a
    /// few values"), several times faster than a byte loop on the clean text nearly every value is; only a
    /// word that may hold such a byte is looked at byte by byte.
    private static func firstByteNeedingEscape(
        in bytes: UnsafeBufferPointer<UInt8>,
        from start: Int,
        _ escaping: AccessLogFormat.Escaping
    ) -> Int {
        switch escaping {
        case .json:
            return firstByte(in: bytes, from: start) { word in
                hasByteBelowSpace(word) || hasByte(word, UInt8(ascii: "\"")) || hasByte(word, UInt8(ascii: "\\"))
            } isSpecial: { byte in
                byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
            }
        case .text:
            return firstByte(in: bytes, from: start) { word in
                hasByteBelowSpace(word) || hasByte(word, UInt8(ascii: "\"")) || hasByte(word, UInt8(ascii: "\\"))
                    || hasByte(word, 0x7F)
            } isSpecial: { byte in
                byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F
            }
        case .xml:
            return firstByte(in: bytes, from: start) { word in
                hasByteBelowSpace(word) || hasByte(word, UInt8(ascii: "\"")) || hasByte(word, UInt8(ascii: "&"))
                    || hasByte(word, UInt8(ascii: "<")) || hasByte(word, UInt8(ascii: ">")) || hasByte(word, UInt8(ascii: "'"))
            } isSpecial: { byte in
                byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<")
                    || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "'")
            }
        }
    }

    @inline(__always)
    private static func firstByte(
        in bytes: UnsafeBufferPointer<UInt8>,
        from start: Int,
        wordMayHaveSpecial: (UInt64) -> Bool,
        isSpecial: (UInt8) -> Bool
    ) -> Int {
        guard let base = bytes.baseAddress else {
            return bytes.count
        }
        let raw = UnsafeRawPointer(base)
        var index = start
        while index < bytes.count {
            if index + 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if !wordMayHaveSpecial(word) {
                    index += 8
                    continue
                }
            }
            let end = min(index + 8, bytes.count)
            while index < end {
                if isSpecial(base[index]) {
                    return index
                }
                index += 1
            }
        }
        return bytes.count
    }

    private static let lowBits: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether any byte of `word` is below 0x20 ("hasless" from Bit Twiddling Hacks; exact for n <= 128).
    @inline(__always)
    private static func hasByteBelowSpace(_ word: UInt64) -> Bool {
        (word &- lowBits &* 0x20) & ~word & highBits != 0
    }

    /// Whether any byte of `word` equals `byte` ("haszero" of the word XOR the byte in every lane).
    @inline(__always)
    private static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
        let lanes = word ^ (lowBits &* UInt64(byte))
        return (lanes &- lowBits) & ~lanes & highBits != 0
    }

    private static func writeEscape(for byte: UInt8, _ escaping: AccessLogFormat.Escaping, into buffer: inout ByteCursor) {
        switch escaping {
        case .json:
            switch byte {
            case UInt8(ascii: "\""): buffer.write(#"\""#)
            case UInt8(ascii: "\\"): buffer.write(#"\\"#)
            case UInt8(ascii: "\n"): buffer.write(#"\n"#)
            case UInt8(ascii: "\r"): buffer.write(#"\r"#)
            case UInt8(ascii: "\t"): buffer.write(#"\t"#)
            default:
                buffer.write(#"\u00"#)
                writeHex(byte, into: &buffer)
            }
        case .text:
            switch byte {
            case UInt8(ascii: "\""): buffer.write(#"\""#)
            case UInt8(ascii: "\\"): buffer.write(#"\\"#)
            default:
                buffer.write(#"\x"#)
                writeHex(byte, into: &buffer)
            }
        case .xml:
            switch byte {
            case UInt8(ascii: "\""): buffer.write("&quot;")
            case UInt8(ascii: "&"): buffer.write("&amp;")
            case UInt8(ascii: "<"): buffer.write("&lt;")
            case UInt8(ascii: ">"): buffer.write("&gt;")
            case UInt8(ascii: "'"): buffer.write("&apos;")
            case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                buffer.write("&#")
                buffer.writeDecimal(Int(byte))
                buffer.write(UInt8(ascii: ";"))
            default:
                // XML 1.0 allows no other control character, not even as a reference.
                buffer.write("&#xFFFD;")
            }
        }
    }

    private static func writeHex(_ byte: UInt8, into buffer: inout ByteCursor) {
        buffer.write(hexDigit(byte >> 4))
        buffer.write(hexDigit(byte & 0x0F))
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ (nibble &- 10)
    }
}
