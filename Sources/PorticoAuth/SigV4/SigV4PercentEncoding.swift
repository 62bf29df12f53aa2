/// The percent-encoding rules SigV4 canonicalisation uses.
///
/// SigV4 encodes every byte except the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`),
/// with upper-case hex digits, exactly as Python's `urllib.parse.quote(s, safe='-_.~')` does in
/// botocore. Everything works on UTF-8 bytes so that a decoded query value which is not valid
/// UTF-8 still re-encodes to the bytes the client signed.
enum SigV4PercentEncoding {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Whether `byte` is an RFC 3986 unreserved character, which SigV4 never encodes.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Percent-encodes `bytes`, leaving unreserved characters (and `/` when `keepingSlash`) alone.
    ///
    /// `keepingSlash` is botocore's `quote(path, safe='/~')` for the canonical URI; query names
    /// and values encode `/` too.
    static func encode(_ bytes: some Sequence<UInt8>, keepingSlash: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 3)
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes one query-string name or value as a server reads it: `%XX` becomes the byte and
    /// `+` becomes a space.
    ///
    /// `+` matters for Go clients (Terraform, the AWS SDK for Go v2): they send a space as `+`
    /// but sign it as `%20`, like AWS's own front ends read it. botocore never sends a bare `+`
    /// (it encodes `+` as `%2B`), so this reading agrees with both. A malformed escape (`%zz`,
    /// a trailing `%`) is kept as literal text rather than rejected.
    static func decodeQueryComponent(_ text: Substring) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
