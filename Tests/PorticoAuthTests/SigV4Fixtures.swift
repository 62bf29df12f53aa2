/// Values and helpers shared by the SigV4 tests.
enum SigV4Fixtures {
    /// The message AWS sends for a signature that does not match.
    static let signatureMismatchMessage =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
        + "Key and signing method. Consult the service documentation for details."

    /// `text` with exactly one byte changed: the last decimal digit if there is one (so a date or a
    /// port stays well-formed), else the last byte, flipped by its lowest bit.
    static func oneByteChanged(_ text: String) -> String {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return "x" }
        let index = bytes.lastIndex(where: { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) ?? bytes.count - 1
        bytes[index] ^= 0x01
        return String(decoding: bytes, as: UTF8.self)
    }
}
