import PorticoModel
import Testing

/// The UTF-8 check used on WebSocket messages: the same answer as `String(validating:)`, with an ASCII
/// fast path read eight bytes at a time.
struct UTF8ValidationTests {
    @Test func asciiOfEveryLengthAroundTheWordSize() {
        for count in 0...17 {
            let bytes = Array(repeating: UInt8(ascii: "a"), count: count)
            #expect(UTF8Validation.isValid(bytes))
            #expect(bytes.withUnsafeBufferPointer { UTF8Validation.isASCII($0) })
        }
    }

    @Test func aHighBitAnywhereIsNotASCII() {
        for count in 1...17 {
            for position in 0..<count {
                var bytes = Array(repeating: UInt8(ascii: "a"), count: count)
                bytes[position] = 0xC3
                #expect(!bytes.withUnsafeBufferPointer { UTF8Validation.isASCII($0) }, "byte \(position) of \(count)")
            }
        }
    }

    @Test(arguments: ["é", "{\"message\":\"grüße\"}", "😀 at the end of a longer text 😀", "日本語のテキスト"])
    func validNonASCII(_ text: String) {
        #expect(UTF8Validation.isValid(Array(text.utf8)))
    }

    @Test(arguments: [
        [0xFF], [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0xC3], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82],
        [0xF4, 0x90, 0x80, 0x80], Array("ok so far".utf8) + [0x80],
    ] as [[UInt8]])
    func invalid(_ bytes: [UInt8]) {
        #expect(!UTF8Validation.isValid(bytes))
        #expect(String(validating: bytes, as: UTF8.self) == nil)
    }
}
