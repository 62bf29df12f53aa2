import Testing

@testable import PorticoAuth

/// The canonicalisation rules one at a time, each checked against what botocore produces.
struct SigV4CanonicalRequestTests {
    @Test(arguments: [
        ("", "/"),
        ("/", "/"),
        ("//", "/"),
        ("/restapis", "/restapis"),
        ("/restapis/", "/restapis/"),
        ("/a/./b/../c/", "/a/c/"),
        ("/a//b///c", "/a/b/c"),
        ("/..", "/"),
        ("/../a", "/a"),
        ("/a/%2E%2E/b", "/a/%252E%252E/b"),
        ("/restapis/a%2Fb", "/restapis/a%252Fb"),
        ("/v2/apis/x/stages/$default", "/v2/apis/x/stages/%24default"),
        ("/v2/apis/x/stages/%24default", "/v2/apis/x/stages/%2524default"),
        ("/prod/@connections/c%3D1", "/prod/%40connections/c%253D1"),
        ("/ünï cøde", "/%C3%BCn%C3%AF%20c%C3%B8de"),
        ("/a~b-c_d.e", "/a~b-c_d.e"),
        ("/a+b", "/a%2Bb"),
    ])
    func canonicalURI(_ raw: String, _ expected: String) {
        #expect(SigV4CanonicalRequest.canonicalURI(rawPath: raw) == expected)
    }

    @Test(arguments: [
        ("", ""),
        ("b=2&a=1", "a=1&b=2"),
        ("a=2&a=1&a=10", "a=1&a=10&a=2"),
        ("Tag=1&tag=1&_=1&~=1&0=1", "0=1&Tag=1&_=1&tag=1&~=1"),
        ("flag", "flag="),
        ("empty=", "empty="),
        ("a=b=c", "a=b%3Dc"),
        ("a=x+y", "a=x%20y"),
        ("a=x%20y", "a=x%20y"),
        ("a=%2B", "a=%2B"),
        ("a=%7e%2d", "a=~-"),
        ("a=%c3%bc", "a=%C3%BC"),
        ("a=%zz&b=%", "a=%25zz&b=%25"),
        ("k%20ey=v/w", "k%20ey=v%2Fw"),
        ("a=1&&b=2", "=&a=1&b=2"),
    ])
    /// Where botocore would send the query this way, the result is its own. The `+`, lower-case,
    /// under-encoded and malformed cases never come from botocore (it encodes everything but
    /// `-_.~`); they come from other clients, and are read as AWS's front ends read them.
    func canonicalQuery(_ raw: String, _ expected: String) {
        #expect(SigV4CanonicalRequest.canonicalQuery(rawQuery: raw) == expected)
    }

    @Test func presignedSignatureIsLeftOutOfTheQuery() {
        let query = "X-Amz-Signature=abc&b=1&X-Amz-Date=20240102T030405Z"
        #expect(
            SigV4CanonicalRequest.canonicalQuery(rawQuery: query, excluding: ["X-Amz-Signature"])
                == "X-Amz-Date=20240102T030405Z&b=1")
    }

    @Test(arguments: [
        ("value", "value"),
        ("  a   b \t c  ", "a b c"),
        ("\tleading", "leading"),
        ("", ""),
        ("a\r\n b", "a b"),
    ])
    func headerValuesAreTrimmedAndCollapsed(_ raw: String, _ expected: String) {
        #expect(SigV4CanonicalRequest.trimAll(raw) == expected)
    }

    @Test func repeatedHeadersAreJoinedWithCommasInOrder() {
        let headers: [(name: String, value: String)] = [
            ("X-Custom", " first "), ("Host", "h"), ("x-custom", "second  value"), ("X-CUSTOM", ""),
        ]
        #expect(
            SigV4CanonicalRequest.canonicalHeaders(names: ["host", "x-custom", "x-missing"], from: headers)
                == "host:h\nx-custom:first,second value,\nx-missing:\n")
    }

    @Test func theCanonicalRequestText() {
        let request = SigV4CanonicalRequest(
            method: "get", rawPath: "/a%2Fb", rawQuery: "z=1&a=2",
            signedHeaderNames: ["host", "x-amz-date"],
            headers: [("Host", "example.com"), ("X-Amz-Date", "20240102T030405Z")],
            payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            request.text
                == "GET\n/a%252Fb\na=2&z=1\nhost:example.com\nx-amz-date:20240102T030405Z\n\nhost;x-amz-date\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func theSigningKeyOfTheAWSDocumentation() {
        // docs.aws.amazon.com "Examples of how to derive a signing key for Signature Version 4".
        let key = SigV4Algorithm.signingKey(
            secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", day: "20150830", region: "us-east-1", service: "iam")
        #expect(
            key.withUnsafeBytes { SigV4Algorithm.hex($0) }
                == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
    }

    @Test func constantTimeComparison() {
        #expect(SigV4Algorithm.constantTimeEquals("abc", "abc"))
        #expect(!SigV4Algorithm.constantTimeEquals("abc", "abd"))
        #expect(!SigV4Algorithm.constantTimeEquals("abc", "ab"))
        #expect(SigV4Algorithm.constantTimeEquals("", ""))
    }
}
