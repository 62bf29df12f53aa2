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
        #expect(JSONText.quoted("Missing Authentication Token") == "\"Missing Authentication Token\"")
        #expect(JSONText.quoted("a \"b\"\\\n\u{1}") == "\"a \\\"b\\\"\\\\\\n\\u0001\"")
    }
}

/// REST APIs' request ids and trace headers, from the loop's generator.
struct RestRequestIdTests {
    @Test func uuidsAreVersion4ShapedAndDistinct() throws {
        let ids = RequestIdGenerator()
        let first = ids.makeUUID()
        let regex = try Regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        #expect(first.wholeMatch(of: regex) != nil, "\(first)")
        #expect(ids.makeUUID() != first)
    }

    @Test func traceIdsCarryTheEpochAndNinetySixBits() throws {
        let trace = RequestIdGenerator().makeTraceId(epochSeconds: 0x5759_e988)
        #expect(trace.hasPrefix("Root=1-5759e988-"))
        #expect(trace.count == "Root=1-5759e988-bd862e3fe1be46a994272793".count)
    }
}
