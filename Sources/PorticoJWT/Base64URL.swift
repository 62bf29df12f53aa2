/// Base64url without padding (RFC 7515 §2, "Base64url Encoding"), strictly: padding, the `+`/`/`
/// alphabet, whitespace, a length of 1 mod 4 and non-zero trailing bits are all refused, so a
/// token has exactly one encoding and nothing can be smuggled in its slack.
enum Base64URL {
    static func decode(_ text: Substring.UTF8View) -> [UInt8]? {
        let count = text.count
        if count % 4 == 1 { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in text {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "_"): value = 63
            default: return nil
            }
            buffer = (buffer << 6) | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
                buffer &= (1 << UInt32(bits)) - 1
            }
        }
        // The leftover bits (2 or 4) must be zero: a canonical encoding.
        if buffer != 0 { return nil }
        return output
    }

    static func decode(_ text: String) -> [UInt8]? { decode(Substring(text).utf8) }
}
