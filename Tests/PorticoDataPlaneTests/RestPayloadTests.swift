import Testing

@testable import PorticoDataPlane

/// REST payload handling that needs no network: `contentHandling` conversions and the quoting
/// behind `$context.error.messageString`.
struct RestPayloadTests {
    @Test func convertToTextEncodesOnlyBinaryPayloads() {
        let bytes: [UInt8] = [0, 1, 0x62]
        #expect(RestPipeline.convert(bytes, isBinary: true, contentHandling: "CONVERT_TO_TEXT") == Array("AAFi".utf8))
        #expect(RestPipeline.convert(bytes, isBinary: false, contentHandling: "CONVERT_TO_TEXT") == bytes)
    }

    @Test func convertToBinaryDecodesOnlyTextPayloads() {
        let text = Array("AAFi".utf8)
        #expect(RestPipeline.convert(text, isBinary: false, contentHandling: "CONVERT_TO_BINARY") == [0, 1, 0x62])
        #expect(RestPipeline.convert(text, isBinary: true, contentHandling: "CONVERT_TO_BINARY") == text)
        // Text that is not base64 is left as it is rather than dropped.
        #expect(RestPipeline.convert(Array("not base64!".utf8), isBinary: false, contentHandling: "CONVERT_TO_BINARY") == Array("not base64!".utf8))
    }

    @Test func noContentHandlingPassesThrough() {
        #expect(RestPipeline.convert([1, 2, 3], isBinary: true, contentHandling: nil) == [1, 2, 3])
    }

    @Test func messageStringIsAQuotedJSONString() {
        #expect(RestPipeline.quoted("Missing Authentication Token") == "\"Missing Authentication Token\"")
        #expect(RestPipeline.quoted("a \"b\"\\\n\u{1}") == "\"a \\\"b\\\"\\\\\\n\\u0001\"")
    }
}
