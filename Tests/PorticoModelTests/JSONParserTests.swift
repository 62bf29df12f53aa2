import PorticoModel
import Testing

/// The body parser: RFC 8259 values in, `JSONValue` out, anything else nil.
struct JSONParserTests {
    private func parse(_ text: String) -> JSONValue? { JSONParser.parse(Array(text.utf8)) }

    @Test func values() {
        #expect(parse(#" {"a": [1, -2, 3.5, 1e2, true, false, null], "b": {"c": "d"}} "#) == .object([
            "a": .array([.integer(1), .integer(-2), .number(3.5), .number(100), .bool(true), .bool(false), .null]),
            "b": .object(["c": .string("d")]),
        ]))
        #expect(parse("42") == .integer(42))
        #expect(parse(#""x""#) == .string("x"))
        #expect(parse("[]") == .array([]))
        #expect(parse("{}") == .object([:]))
        #expect(parse("9223372036854775808") == .number(9223372036854775808))
        #expect(parse("-0") == .integer(0))
    }

    @Test func escapes() {
        #expect(parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
        #expect(parse(#""\ud83d""#) == nil)
        #expect(parse(#""\x""#) == nil)
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", ".5", "1e", "-", "tru", "nul", "[1] 2", "\"unterminated",
        "\"tab\there\"", "{1: 2}", "'single'", "NaN", "[1 2]",
    ])
    func rejects(_ text: String) {
        #expect(parse(text) == nil)
    }

    @Test func rejectsInvalidUTF8() {
        #expect(JSONParser.parse([0x22, 0xFF, 0x22]) == nil)
        #expect(JSONParser.parse(Array(#"{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)) == nil)
    }

    @Test func unescapedStrings() {
        // ASCII strings take the copy without validation, others the standard library's check.
        #expect(parse(#"{"action":"echo","data":"ping"}"#) == .object(["action": .string("echo"), "data": .string("ping")]))
        #expect(parse(#"["grüße", "😀", ""]"#) == .array([.string("grüße"), .string("😀"), .string("")]))
    }

    @Test func capsNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(parse(deep) == nil)
        #expect(JSONParser.parse(Array(deep.utf8), maxDepth: 1000) != nil)
    }
}
