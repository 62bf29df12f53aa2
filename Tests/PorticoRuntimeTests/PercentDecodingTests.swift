import Foundation
import Testing

@testable import PorticoRuntime

struct PercentDecodingTests {
    /// Foundation's encoder with RFC 3986's unreserved set (plus `/` when kept) is the reference.
    static func reference(_ text: String, keepSlash: Bool) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")
        if keepSlash { allowed.insert("/") }
        return text.addingPercentEncoding(withAllowedCharacters: allowed)!
    }

    static let samples = [
        "", "plain", "a/b/c", "with space", "50%", "é", "日本/語", "a+b=c&d", "~tilde_.-", "/", "%2F", "\u{0}\u{7F}", "emoji😀/x",
        String(repeating: "x/", count: 40) + "?#[]@!$&'()*+,;=",
    ]

    @Test(arguments: samples)
    func encodesAsTheReferenceDoes(_ text: String) {
        for keepSlash in [false, true] {
            let expected = Self.reference(text, keepSlash: keepSlash)
            #expect(PercentDecoding.encode(text, keepSlash: keepSlash) == expected)
            var written: [UInt8] = []
            PercentDecoding.encode(text, keepSlash: keepSlash) { written.append(contentsOf: $0) }
            #expect(String(decoding: written, as: UTF8.self) == expected)
        }
    }

    @Test(arguments: samples)
    func decodingUndoesEncoding(_ text: String) {
        #expect(PercentDecoding.decode(PercentDecoding.encode(text)[...]) == text)
    }
}
