#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The pieces of HTTP/1.1's grammar (RFC 9110, RFC 9112) that both of the data plane's parsers
/// use: the client request parser and the backend response parser. Everything works on raw bytes;
/// nothing allocates.
enum HTTP1Syntax {
    /// The index of the first LF at or after `start`: libc's `memchr`, which scans a word or a vector
    /// at a time (a request head with a 1 KB token is mostly one long line).
    static func firstLF(_ raw: UnsafeRawBufferPointer, from start: Int) -> Int? {
        first(UInt8(ascii: "\n"), in: raw, from: start)
    }

    /// The index of the first `byte` at or after `start` (libc's `memchr`).
    static func first(_ byte: UInt8, in raw: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < raw.count, let base = raw.baseAddress else { return nil }
        guard let found = memchr(base + start, Int32(byte), raw.count - start) else { return nil }
        return UnsafeRawPointer(found) - base
    }

    static func lineEnd(_ raw: UnsafeRawBufferPointer, from start: Int) -> Int {
        firstLF(raw, from: start) ?? raw.count
    }

    static func trimCR(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        end > start && raw[end - 1] == UInt8(ascii: "\r") ? end - 1 : end
    }

    /// The length of a head (through its blank line) if all of it is in `raw`, scanning from
    /// `scanned`; otherwise nil, with `scanned` moved to where the next scan should resume.
    static func headLength(_ raw: UnsafeRawBufferPointer, scanned: inout Int) -> Int? {
        var index = max(scanned, 0)
        while index < raw.count {
            guard let newline = firstLF(raw, from: index) else { break }
            // A blank line: LF directly after the previous LF, or CR LF after it.
            if newline + 1 < raw.count, raw[newline + 1] == UInt8(ascii: "\n") { return newline + 2 }
            if newline + 2 < raw.count, raw[newline + 1] == UInt8(ascii: "\r"), raw[newline + 2] == UInt8(ascii: "\n") {
                return newline + 3
            }
            if newline + 2 >= raw.count {
                // The blank line may be arriving: rescan from this line end next time.
                scanned = newline
                return nil
            }
            index = newline + 1
        }
        scanned = max(raw.count - 1, 0)
        return nil
    }

    /// `tchar` (RFC 9110 §5.6.2): the bytes of a method or a field name.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
            UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    static func digit(_ byte: UInt8) -> Int? {
        byte &- UInt8(ascii: "0") < 10 ? Int(byte &- UInt8(ascii: "0")) : nil
    }

    /// A non-negative decimal that fits comfortably in an `Int`.
    static func decimal(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard let digit = digit(byte) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// One field line without its line end: the byte ranges of name and value (value trimmed of
    /// optional whitespace). The name must be a token directly followed by the colon, which also
    /// refuses obsolete line folding; the value may not hold NUL, CR or other control bytes but
    /// horizontal tab (RFC 9110 §5.5).
    static func field(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (Int, Int, Int, Int)? {
        var colon = start
        while colon < end, raw[colon] != UInt8(ascii: ":") {
            guard isTokenByte(raw[colon]) else { return nil }
            colon += 1
        }
        guard colon < end, colon > start else { return nil }
        var valueStart = colon + 1
        var valueEnd = end
        while valueStart < valueEnd, raw[valueStart] == UInt8(ascii: " ") || raw[valueStart] == UInt8(ascii: "\t") { valueStart += 1 }
        while valueEnd > valueStart, raw[valueEnd - 1] == UInt8(ascii: " ") || raw[valueEnd - 1] == UInt8(ascii: "\t") { valueEnd -= 1 }
        guard isFieldValue(UnsafeRawBufferPointer(rebasing: raw[valueStart..<valueEnd])) else { return nil }
        return (start, colon, valueStart, valueEnd)
    }

    /// Whether `value` holds no control byte but horizontal tab (no NUL, CR, LF, DEL). Eight bytes at a
    /// time while none is below 0x20 or DEL (the word tests of "Bit Twiddling Hacks": a byte below n,
    /// n ≤ 128, sets its high bit in `(w - n·0x01…) & ~w & 0x80…`; a DEL byte is a zero byte of
    /// `w ^ 0x7F…`); a word that might hold one is checked byte by byte, for the tab.
    static func isFieldValue(_ value: UnsafeRawBufferPointer) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index + 8 <= value.count {
            let word = UInt64(littleEndian: value.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let del = word ^ (0x7F &* ones)
            if ((word &- 0x20 &* ones) & ~word & highs) | ((del &- ones) & ~del & highs) != 0 { break }
            index += 8
        }
        while index < value.count {
            let byte = value[index]
            if (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F { return false }
            index += 1
        }
        return true
    }

    /// Calls `body` with each comma-separated token of a header value, spaces trimmed.
    static func listTokens(_ value: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        while start <= value.count {
            var end = start
            while end < value.count, value[end] != UInt8(ascii: ",") { end += 1 }
            var tokenStart = start
            var tokenEnd = end
            while tokenStart < tokenEnd, value[tokenStart] == UInt8(ascii: " ") || value[tokenStart] == UInt8(ascii: "\t") { tokenStart += 1 }
            while tokenEnd > tokenStart, value[tokenEnd - 1] == UInt8(ascii: " ") || value[tokenEnd - 1] == UInt8(ascii: "\t") { tokenEnd -= 1 }
            if tokenEnd > tokenStart { body(UnsafeRawBufferPointer(rebasing: value[tokenStart..<tokenEnd])) }
            start = end + 1
        }
    }

    /// Whether `bytes`, spaces trimmed, equal the lower-case `token` ignoring ASCII case.
    static func isToken(_ bytes: UnsafeRawBufferPointer, _ token: StaticString) -> Bool {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        return HeaderName.equals(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), token)
    }

    /// Whether the last coding of a `Transfer-Encoding` value is `chunked`.
    static func endsInChunked(_ value: UnsafeRawBufferPointer) -> Bool {
        let last = value.lastIndex(of: UInt8(ascii: ",")).map { value.index(after: $0) } ?? 0
        return isToken(UnsafeRawBufferPointer(rebasing: value[last...]), "chunked")
    }
}
