/// JSON's one-character string escapes (RFC 8259 §7), shared by the byte-level JSON parsers (the
/// model's and the mapping templates', which differ in what they build and how they report errors).
public enum JSONEscape {
    /// The byte that `\` followed by `byte` stands for, or nil when that is not a one-character
    /// escape (`u` starts a `\uXXXX` escape; anything else is invalid).
    @inlinable
    public static func simple(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }
}
