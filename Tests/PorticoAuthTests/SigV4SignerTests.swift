import Foundation
import PorticoAuth
import PorticoModel
import Testing

struct SigV4SignerTests {
    static let lambdaURL = URL(string: "http://127.0.0.1:9001/2015-03-31/functions/demo/invocations")!
    static let body = Array(#"{"hello":"world"}"#.utf8)
    static let date = SigV4Vector.date(basicFormat: "20240102T030405Z")
    static let signer = SigV4Signer(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region: "us-east-1",
        service: "lambda")

    /// AWS_FACTS.md L3: the Lambda Invoke request and its credentials, time and signed headers.
    ///
    /// The fact gives `Signature=e9c52da3…8725`, but the inputs it states sign to `2ed465b1…5241`
    /// with botocore 1.43.11 (on this machine), with botocore 1.44.8 (the version the fact names)
    /// and with a by-hand HMAC computation alike; the expected value here is that one.
    @Test func theLambdaInvokeKnownAnswer() {
        let added = Self.signer.sign(
            method: "POST", url: Self.lambdaURL,
            headers: [("Content-Type", "application/json"), ("X-Amz-Invocation-Type", "RequestResponse")],
            body: Self.body, date: Self.date, includeContentSHA256Header: false)
        #expect(added.count == 2)
        #expect(added.first { $0.0 == "X-Amz-Date" }?.1 == "20240102T030405Z")
        #expect(
            added.first { $0.0 == "Authorization" }?.1
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/lambda/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date;x-amz-invocation-type, "
                + "Signature=2ed465b1437e6f2fb92e9fd4951f5635bd640c71f73f42ac7e831b9e0d205241")
        #expect(!added.contains { $0.0.lowercased() == "x-amz-content-sha256" })
        #expect(
            SigV4Verifier.sha256Hex(Self.body) == "93a23971a914e5eacbf0a8d25154cda309c3c1c72fbb9914d47c60f3cb681588")
    }

    @Test func theHostPathAndQueryFormSignsTheSame() {
        let headers = [("Content-Type", "application/json"), ("X-Amz-Invocation-Type", "RequestResponse")]
        let byURL = Self.signer.sign(method: "POST", url: Self.lambdaURL, headers: headers, body: Self.body, date: Self.date)
        let byParts = Self.signer.sign(
            method: "POST", host: "127.0.0.1:9001", path: "/2015-03-31/functions/demo/invocations", query: "",
            headers: headers, body: Self.body, date: Self.date)
        #expect(byURL.map(\.1) == byParts.map(\.1))
    }

    @Test func theDefaultPortIsNotSignedAndTheHostIsLowerCased() throws {
        let headers: [(String, String)] = []
        let https = Self.signer.sign(
            method: "GET", url: try #require(URL(string: "https://Lambda.US-East-1.amazonaws.com:443/x")),
            headers: headers, body: [], date: Self.date)
        let bare = Self.signer.sign(
            method: "GET", host: "lambda.us-east-1.amazonaws.com", path: "/x", query: "", headers: headers, body: [],
            date: Self.date)
        #expect(https.map(\.1) == bare.map(\.1))
    }

    @Test func aSessionTokenAndTheContentHashAreAddedAndSigned() {
        let signer = SigV4Signer(
            accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "token/with+chars==", region: "eu-west-1",
            service: "lambda")
        let added = signer.sign(
            method: "POST", url: Self.lambdaURL, headers: [("User-Agent", "portico"), ("Authorization", "stale")],
            body: Self.body, date: Self.date, includeContentSHA256Header: true)
        #expect(added.map(\.0) == ["X-Amz-Date", "X-Amz-Security-Token", "x-amz-content-sha256", "Authorization"])
        #expect(added[1].1 == "token/with+chars==")
        #expect(added[2].1 == SigV4Verifier.sha256Hex(Self.body))
        #expect(
            added[3].1.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature="))
    }

    /// What the signer produces, the verifier accepts: the same canonicalisation both ways,
    /// including a path that needs double encoding and a query that needs sorting.
    @Test func theVerifierAcceptsWhatTheSignerSigns() {
        let signer = SigV4Signer(
            accessKeyId: "AKIDROUNDTRIP", secretAccessKey: "round/trip+secret", sessionToken: "tok", region: "ap-south-1",
            service: "apigateway")
        let path = "/restapis/a%2Fb/resources/%24default/./x"
        let query = "z=1&a=%C3%BC&a=b%20c&flag"
        let headers = [("Content-Type", "application/json"), ("X-Custom", "  spaced   out  ")]
        let body = Array(#"{"name":"round trip"}"#.utf8)
        let added = signer.sign(
            method: "PATCH", host: "localhost:4566", path: path, query: query, headers: headers, body: body, date: Self.date,
            includeContentSHA256Header: true)
        let received = [("Host", "localhost:4566")] + headers + added
        let request = SigV4Request(
            method: "PATCH", path: path, query: query, headers: received.map { (name: $0.0, value: $0.1) },
            bodySHA256: SigV4Verifier.sha256Hex(body))
        let verifier = SigV4Verifier(mode: .verify(credentials: ["AKIDROUNDTRIP": "round/trip+secret"]))
        let result = verifier.verify(request, now: Self.date)
        #expect(result.identity == SigV4Identity(accessKeyId: "AKIDROUNDTRIP", region: "ap-south-1", service: "apigateway"))

        var tampered = request
        tampered.bodySHA256 = SigV4Verifier.sha256Hex(Array("{}".utf8))
        #expect(verifier.verify(tampered, now: Self.date).errorType == "InvalidSignatureException")
    }

    @Test func theSignerNeverShowsItsSecretOrToken() {
        let signer = SigV4Signer(
            accessKeyId: "AKIDSHOWN", secretAccessKey: "s3cr3t-never-shown", sessionToken: "t0ken-never-shown",
            region: "us-east-1", service: "lambda")
        var dumped = ""
        dump(signer, to: &dumped)
        for text in [String(describing: signer), String(reflecting: signer), "\(signer)", dumped] {
            #expect(text.contains("AKIDSHOWN"))
            #expect(!text.contains("s3cr3t-never-shown"))
            #expect(!text.contains("t0ken-never-shown"))
        }
    }
}
