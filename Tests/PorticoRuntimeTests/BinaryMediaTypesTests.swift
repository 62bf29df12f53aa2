import Testing

@testable import PorticoRuntime

/// `binaryMediaTypes` matching, with AWS's wildcards and patch-escaped slashes.
struct BinaryMediaTypesTests {
    @Test func exactWildcardAndEscapedTypesMatch() {
        let types = BinaryMediaTypes(["image/*", "application~1octet-stream"])
        #expect(types.contains("image/png"))
        #expect(types.contains("Application/Octet-Stream; charset=binary"))
        #expect(!types.contains("application/json"))
        #expect(!types.contains(nil))
        #expect(BinaryMediaTypes(["*/*"]).contains("text/plain"))
        #expect(!BinaryMediaTypes([]).contains("image/png"))
    }
}
