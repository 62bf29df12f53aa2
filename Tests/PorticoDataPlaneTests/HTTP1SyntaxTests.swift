import Testing

@testable import PorticoDataPlane

/// The byte scans of HTTP1Syntax that work a word (or a vector) at a time, against their
/// byte-at-a-time definitions.
struct HTTP1SyntaxTests {
    /// RFC 9110 §5.5: no control byte but horizontal tab.
    static func isFieldValueByBytes(_ bytes: [UInt8]) -> Bool {
        !bytes.contains { ($0 < 0x20 && $0 != UInt8(ascii: "\t")) || $0 == 0x7F }
    }

    @Test func fieldValueCheckMatchesItsDefinitionAtEveryPosition() {
        // Every byte value, at every offset of a value long enough for several words and a tail.
        for length in [0, 1, 7, 8, 9, 16, 23, 40] {
            for position in 0..<max(length, 1) {
                for byte in UInt8.min...UInt8.max {
                    var value = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    if length > 0 { value[position] = byte }
                    let fast = value.withUnsafeBytes { HTTP1Syntax.isFieldValue($0) }
                    #expect(fast == Self.isFieldValueByBytes(value), "length \(length), byte \(byte) at \(position)")
                }
            }
        }
    }

    @Test func fieldValueCheckOnRandomValues() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let length = Int.random(in: 0..<64, using: &generator)
            // Mostly printable, sometimes a tab, a control byte, DEL or a high byte.
            let value = (0..<length).map { _ -> UInt8 in
                switch Int.random(in: 0..<40, using: &generator) {
                case 0: UInt8.random(in: 0..<0x20, using: &generator)
                case 1: 0x7F
                case 2: UInt8(ascii: "\t")
                case 3: UInt8.random(in: 0x80...0xFF, using: &generator)
                default: UInt8.random(in: 0x20..<0x7F, using: &generator)
                }
            }
            let fast = value.withUnsafeBytes { HTTP1Syntax.isFieldValue($0) }
            #expect(fast == Self.isFieldValueByBytes(value), "\(value)")
        }
    }

    @Test func firstLineFeed() {
        let text = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        text.withUnsafeBytes { raw in
            #expect(HTTP1Syntax.firstLF(raw, from: 0) == 15)
            #expect(HTTP1Syntax.firstLF(raw, from: 15) == 15)
            #expect(HTTP1Syntax.firstLF(raw, from: 16) == 24)
            #expect(HTTP1Syntax.firstLF(raw, from: 27) == nil)
            #expect(HTTP1Syntax.firstLF(raw, from: 40) == nil)
        }
        [UInt8]().withUnsafeBytes { #expect(HTTP1Syntax.firstLF($0, from: 0) == nil) }
    }
}

/// Header names compared ignoring ASCII case, over contiguous bytes or not.
struct HeaderNameEqualityTests {
    @Test(arguments: [
        ("Content-Type", "content-type", true), ("X-AMZN-TRACE-ID", "x-amzn-trace-id", true), ("x-a", "x-b", false),
        ("x-a", "x-ab", false), ("", "", true), ("[", "{", false), ("@", "`", false), ("Zz", "zZ", true),
    ])
    func equal(_ a: String, _ b: String, _ expected: Bool) {
        #expect(HeaderName.equal(a[...], b) == expected)
        // A slice of a longer string.
        let longer = "::" + a + "::"
        #expect(HeaderName.equal(longer.dropFirst(2).dropLast(2), b) == expected)
    }
}
