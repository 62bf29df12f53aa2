/// Percent-decoding of URL components ("API Gateway decodes URL-encoded request parameters
/// before passing them to your backend integration"). Invalid escapes are kept as sent.
public enum PercentDecoding {
    public static func decode(_ text: Substring) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        return decodeBytes(text.utf8, plusAsSpace: false)
    }

    /// Decodes a query-string component, where `+` also stands for a space.
    public static func decodeQueryComponent(_ text: Substring) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return String(text) }
        return decodeBytes(text.utf8, plusAsSpace: true)
    }

    static func decodeBytes(_ utf8: Substring.UTF8View, plusAsSpace: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let first = utf8.index(after: index)
                if first != utf8.endIndex {
                    let second = utf8.index(after: first)
                    if second != utf8.endIndex, let high = hex(utf8[first]), let low = hex(utf8[second]) {
                        out.append(high << 4 | low)
                        index = utf8.index(after: second)
                        continue
                    }
                }
                out.append(byte)
            } else if plusAsSpace && byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(byte)
            }
            index = utf8.index(after: index)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Percent-encodes a path segment or query component for sending upstream. A text with nothing to
    /// escape (the usual case) comes back as it is.
    public static func encode(_ text: String, keepSlash: Bool = false) -> String {
        guard text.utf8.contains(where: { !isUnreserved($0) && !(keepSlash && $0 == UInt8(ascii: "/")) }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        encode(text, keepSlash: keepSlash) { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of `encode(text, keepSlash:)`, handed to `write` in runs: for writing straight into an
    /// output buffer.
    public static func encode(_ text: String, keepSlash: Bool = false, into write: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            var escape: (UInt8, UInt8, UInt8) = (UInt8(ascii: "%"), 0, 0)
            for index in bytes.indices {
                let byte = bytes[index]
                if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) { continue }
                if index > runStart { write(UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
                escape.1 = hexDigits[Int(byte >> 4)]
                escape.2 = hexDigits[Int(byte & 0xF)]
                withUnsafeBytes(of: &escape) { raw in
                    write(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: 3))
                }
                runStart = index + 1
            }
            if bytes.count > runStart { write(UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
    }

    /// RFC 3986's unreserved characters: sent as they are.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
