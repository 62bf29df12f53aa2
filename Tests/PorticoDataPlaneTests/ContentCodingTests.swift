import Testing

@testable import PorticoDataPlane

/// REST payload compression's codings: which one a client prefers, and zlib both ways.
struct ContentCodingTests {
    @Test(arguments: [
        ("gzip", ContentCoding.gzip), ("deflate", .deflate), ("identity", .identity), ("GZIP", .gzip),
        ("gzip, deflate, br", .gzip), ("deflate, gzip", .deflate), ("gzip;q=0.5, deflate", .deflate),
        ("br;q=1.0, gzip;q=0.9", nil), ("br", nil), ("*", nil), ("", nil), ("gzip;q=0", nil), ("x-gzip", .gzip),
        (" deflate ; q=0.8 , gzip ; q=0.7", .deflate),
    ] as [(String, ContentCoding?)])
    func theHighestPriorityCodingMustBeSupported(_ header: String, _ expected: ContentCoding?) {
        #expect(ContentCoding.preferred(acceptEncoding: [header]) == expected)
    }

    @Test func noHeaderMeansNoCompression() {
        #expect(ContentCoding.preferred(acceptEncoding: []) == nil)
    }

    @Test(arguments: [ContentCoding.gzip, .deflate, .identity])
    func compressedBodiesDecodeToTheOriginal(_ coding: ContentCoding) throws {
        let original = Array(String(repeating: "portico ", count: 2_000).utf8)
        let compressed = try #require(coding.compress(original))
        if coding != .identity { #expect(compressed.count < original.count / 10) }
        #expect(try coding.decompress(compressed, limit: 1 << 20).get() == original)
    }

    @Test func gzipHasItsMagicAndDeflateIsZlib() throws {
        let gzip = try #require(ContentCoding.gzip.compress(Array("hello".utf8)))
        #expect(gzip.prefix(2) == [0x1f, 0x8b])
        let deflate = try #require(ContentCoding.deflate.compress(Array("hello".utf8)))
        #expect(deflate.first == 0x78)
    }

    @Test func rawDeflateIsAcceptedForDeflate() throws {
        let zlib = try #require(ContentCoding.deflate.compress(Array("raw deflate body".utf8)))
        // Without the 2-byte zlib header and the 4-byte Adler-32 trailer: a raw deflate stream.
        let raw = Array(zlib[2..<(zlib.count - 4)])
        #expect(try ContentCoding.deflate.decompress(raw, limit: 1024).get() == Array("raw deflate body".utf8))
    }

    @Test func garbageTruncationAndTrailingBytesAreMalformed() throws {
        let gzip = try #require(ContentCoding.gzip.compress(Array("a body".utf8)))
        #expect(ContentCoding.gzip.decompress(Array("plain".utf8), limit: 1024) == .failure(.malformed))
        #expect(ContentCoding.gzip.decompress(Array(gzip.dropLast(3)), limit: 1024) == .failure(.malformed))
        #expect(ContentCoding.gzip.decompress(gzip + [1, 2, 3], limit: 1024) == .failure(.malformed))
    }

    @Test func decodingStopsAtTheLimit() throws {
        let bomb = try #require(ContentCoding.gzip.compress([UInt8](repeating: 0, count: 1 << 20)))
        #expect(ContentCoding.gzip.decompress(bomb, limit: 100_000) == .failure(.tooLarge))
        #expect(try ContentCoding.gzip.decompress(bomb, limit: 1 << 20).get().count == 1 << 20)
    }
}
