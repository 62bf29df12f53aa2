import Testing

@testable import PorticoDataPlane

/// AWS: "The identitySource can include only the token, or the token prefixed with Bearer".
struct BearerTokenTests {
    @Test(arguments: [
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("bearer abc", "abc"),
        ("BEARER   abc  ", "abc"),
        ("abc.def.ghi", "abc.def.ghi"),
        ("  abc ", "abc"),
        ("Bearerabc", "Bearerabc"),
        ("Bearer ", "Bearer"),
        ("Bear abc", "Bear abc"),
        ("", ""),
    ])
    func strips(_ value: String, _ token: String) {
        #expect(BearerToken.strip(value[...]) == token[...])
    }

    @Test func stripsASubstringOfALongerText() {
        let header = "x: Bearer tok"
        let value = header[header.index(header.startIndex, offsetBy: 3)...]
        #expect(BearerToken.strip(value) == "tok")
    }
}
