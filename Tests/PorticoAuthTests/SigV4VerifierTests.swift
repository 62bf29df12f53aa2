import Foundation
import PorticoAuth
import PorticoModel
import Testing

/// Every way a request can fail verification, with the error AWS gives for it.
struct SigV4VerifierTests {
    static let now = SigV4Vector.date(basicFormat: "20240102T030405Z")
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let verifier = SigV4Verifier(mode: .verify(credentials: ["AKIDEXAMPLE": secret]))
    static let lenient = SigV4Verifier(mode: .acceptAnyWellFormed)
    static let signer = SigV4Signer(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: secret, region: "us-east-1", service: "apigateway")

    /// A correctly signed `GET /restapis?limit=5`, as received.
    static func signedRequest(
        path: String = "/restapis", query: String = "limit=5", at date: Date = now
    ) -> SigV4Request {
        let added = signer.sign(
            method: "GET", host: "localhost:4566", path: path, query: query, headers: [], body: [], date: date)
        return SigV4Request(
            method: "GET", path: path, query: query,
            headers: [(name: "Host", value: "localhost:4566")] + added.map { (name: $0.0, value: $0.1) },
            bodySHA256: SigV4Verifier.sha256Hex([UInt8]()))
    }

    /// `request` with its Authorization header replaced (or removed when `value` is nil).
    static func replacingAuthorization(_ request: SigV4Request, with value: String?) -> SigV4Request {
        var request = request
        request.headers.removeAll { $0.name == "Authorization" }
        if let value { request.headers.append((name: "Authorization", value: value)) }
        return request
    }

    static func authorization(of request: SigV4Request) -> String {
        request.headers.first { $0.name == "Authorization" }?.value ?? ""
    }

    /// The hashed form of `authorization` that AWS puts in its messages.
    static func hashed(_ authorization: String) -> String {
        // Independent of the implementation: recomputed through the public helper's hex output.
        let hex = SigV4Verifier.sha256Hex(Array(authorization.utf8))
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return Data(bytes).base64EncodedString()
    }

    // MARK: - A correct request

    @Test func aSignedRequestVerifies() {
        let result = Self.verifier.verify(Self.signedRequest(), now: Self.now)
        #expect(result.identity == SigV4Identity(accessKeyId: "AKIDEXAMPLE", region: "us-east-1", service: "apigateway"))
    }

    @Test func theAWSDocumentationKnownAnswerVerifies() {
        // "GET https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08" from the SigV4 documentation.
        let request = SigV4Request(
            method: "GET", path: "/", query: "Action=ListUsers&Version=2010-05-08",
            headers: [
                (name: "Host", value: "iam.amazonaws.com"),
                (name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8"),
                (name: "X-Amz-Date", value: "20150830T123600Z"),
                (
                    name: "Authorization",
                    value: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-date, "
                        + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
                ),
            ],
            bodySHA256: SigV4Verifier.sha256Hex([UInt8]()))
        let result = Self.verifier.verify(request, now: SigV4Vector.date(basicFormat: "20150830T123600Z"))
        #expect(result.identity == SigV4Identity(accessKeyId: "AKIDEXAMPLE", region: "us-east-1", service: "iam"))
    }

    @Test func aGoClientsPlusForSpaceVerifies() {
        // The AWS SDK for Go (Terraform) sends a space in a query value as `+` and signs it as `%20`.
        var request = Self.signedRequest(query: "position=a%20b&limit=5")
        request.query = "position=a+b&limit=5"
        #expect(Self.verifier.verify(request, now: Self.now).error == nil)
    }

    @Test func lowerCaseOrMissingPercentEncodingOnTheWireVerifies() {
        var request = Self.signedRequest(query: "name=%C3%BC%7E&x=%2A")
        request.query = "x=*&name=%c3%bc~"
        #expect(Self.verifier.verify(request, now: Self.now).error == nil)
    }

    @Test func headerNamesInAnyCaseVerify() {
        var request = Self.signedRequest()
        request.headers = request.headers.map { (name: $0.name.uppercased(), value: $0.value) }
        #expect(Self.verifier.verify(request, now: Self.now).error == nil)
    }

    @Test func aTrailingSlashAfterTheCredentialIsIgnored() {
        let request = Self.signedRequest()
        let authorization = Self.authorization(of: request).replacingOccurrences(
            of: "aws4_request,", with: "aws4_request/,")
        #expect(Self.verifier.verify(Self.replacingAuthorization(request, with: authorization), now: Self.now).error == nil)
    }

    // MARK: - Nothing, or both

    @Test(arguments: [SigV4VerifierTests.verifier, SigV4VerifierTests.lenient])
    func noAuthorizationAndNoPresignedQuery(_ verifier: SigV4Verifier) {
        for authorization in [nil, "", "   "] as [String?] {
            let request = Self.replacingAuthorization(Self.signedRequest(), with: authorization)
            let result = verifier.verify(request, now: Self.now)
            #expect(result.errorType == "MissingAuthenticationTokenException")
            #expect(result.errorMessage == "Missing Authentication Token")
            #expect(result.error?.status == 403)
        }
    }

    @Test func bothAnAuthorizationHeaderAndAPresignedQuery() {
        var request = Self.signedRequest()
        request.query += "&X-Amz-Algorithm=AWS4-HMAC-SHA256"
        let result = Self.verifier.verify(request, now: Self.now)
        #expect(result.errorType == "InvalidSignatureException")
        #expect(
            result.errorMessage
                == "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.")
    }

    // MARK: - Malformed Authorization header

    @Test(arguments: [SigV4VerifierTests.verifier, SigV4VerifierTests.lenient])
    func aBearerTokenInsteadOfASignature(_ verifier: SigV4Verifier) {
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwb3J0aWNvIn0.c2VjcmV0LXNpZ25hdHVyZQ"
        var request = Self.replacingAuthorization(Self.signedRequest(), with: token)
        request.headers.removeAll { $0.name == "X-Amz-Date" }
        let result = verifier.verify(request, now: Self.now)
        #expect(result.errorType == "IncompleteSignatureException")
        #expect(result.error?.status == 403)
        #expect(
            result.errorMessage
                == "Authorization header requires 'Credential' parameter. "
                + "Authorization header requires 'Signature' parameter. "
                + "Authorization header requires 'SignedHeaders' parameter. "
                + "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                + "(Hashed with SHA-256 and encoded with Base64) Authorization=\(Self.hashed(token))")
        #expect(result.errorMessage?.contains(token) == false)
    }

    @Test(arguments: [SigV4VerifierTests.verifier, SigV4VerifierTests.lenient])
    func aComponentWithoutEqualSign(_ verifier: SigV4Verifier) {
        let authorization = "Bearer secret-bearer-token"
        let result = verifier.verify(
            Self.replacingAuthorization(Self.signedRequest(), with: authorization), now: Self.now)
        #expect(result.errorType == "IncompleteSignatureException")
        #expect(
            result.errorMessage
                == "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and "
                + "encoded with Base64): '\(Self.hashed(authorization))'.")
        #expect(result.errorMessage?.contains("secret-bearer-token") == false)
    }

    @Test func eachMissingPartIsNamed() {
        let full = Self.authorization(of: Self.signedRequest())
        let parts = full.dropFirst("AWS4-HMAC-SHA256 ".count).components(separatedBy: ", ")
        #expect(parts.count == 3)
        for (index, name) in ["Credential", "SignedHeaders", "Signature"].enumerated() {
            #expect(parts[index].hasPrefix(name + "="))
            var kept = parts
            kept.remove(at: index)
            let authorization = "AWS4-HMAC-SHA256 " + kept.joined(separator: ", ")
            let result = Self.verifier.verify(
                Self.replacingAuthorization(Self.signedRequest(), with: authorization), now: Self.now)
            #expect(result.errorType == "IncompleteSignatureException")
            #expect(
                result.errorMessage
                    == "Authorization header requires '\(name)' parameter. "
                    + "(Hashed with SHA-256 and encoded with Base64) Authorization=\(Self.hashed(authorization))")

            let empty =
                "AWS4-HMAC-SHA256 "
                + parts.enumerated().map { $0.offset == index ? name + "=" : $0.element }
                .joined(separator: ", ")
            let emptyResult = Self.verifier.verify(
                Self.replacingAuthorization(Self.signedRequest(), with: empty), now: Self.now)
            #expect(emptyResult.errorMessage?.hasPrefix("Authorization header requires '\(name)' parameter. ") == true)
        }
    }

    @Test func noDateHeaderAtAll() {
        var request = Self.signedRequest()
        request.headers.removeAll { $0.name == "X-Amz-Date" }
        let result = Self.verifier.verify(request, now: Self.now)
        #expect(result.errorType == "IncompleteSignatureException")
        #expect(
            result.errorMessage?.hasPrefix(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. (Hashed") == true)
    }

    @Test(arguments: ["2024-01-02T03:04:05Z", "20240102T030405", "20240230T030405Z", "20240102T250405Z", "yesterday"])
    func aDateNotInBasicFormat(_ date: String) {
        var request = Self.signedRequest()
        request.headers = request.headers.map { $0.name == "X-Amz-Date" ? (name: $0.name, value: date) : $0 }
        for verifier in [Self.verifier, Self.lenient] {
            let result = verifier.verify(request, now: Self.now)
            #expect(result.errorType == "IncompleteSignatureException")
            #expect(
                result.errorMessage
                    == "Date must be in ISO-8601 'basic format'. Got '\(date)'. See http://en.wikipedia.org/wiki/ISO_8601")
        }
    }

    @Test func anUnreadableDateHeader() {
        var request = Self.signedRequest()
        request.headers = request.headers.map {
            $0.name == "X-Amz-Date" ? (name: "Date", value: "Tuesday the second") : $0
        }
        let result = Self.verifier.verify(request, now: Self.now)
        #expect(result.errorType == "IncompleteSignatureException")
        #expect(result.errorMessage?.hasPrefix("Date must be in ISO-8601 'basic format'. Got 'Tuesday the second'.") == true)
    }

    @Test(arguments: [SigV4VerifierTests.verifier, SigV4VerifierTests.lenient])
    func hostNotSigned(_ verifier: SigV4Verifier) {
        let request = Self.signedRequest()
        let authorization = Self.authorization(of: request).replacingOccurrences(
            of: "SignedHeaders=host;x-amz-date", with: "SignedHeaders=x-amz-date")
        let result = verifier.verify(Self.replacingAuthorization(request, with: authorization), now: Self.now)
        #expect(result.errorType == "InvalidSignatureException")
        #expect(result.errorMessage == "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
    }

    @Test(arguments: [SigV4VerifierTests.verifier, SigV4VerifierTests.lenient])
    func anUnsupportedAlgorithm(_ verifier: SigV4Verifier) {
        let request = Self.signedRequest()
        let authorization = Self.authorization(of: request).replacingOccurrences(
            of: "AWS4-HMAC-SHA256 ", with: "AWS4-ECDSA-P256-SHA256 ")
        let result = verifier.verify(Self.replacingAuthorization(request, with: authorization), now: Self.now)
        #expect(result.errorType == "IncompleteSignatureException")
        #expect(
            result.errorMessage == "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256' (only AWS4-HMAC-SHA256 for now). ")
    }

    @Test(arguments: [SigV4VerifierTests.verifier, SigV4VerifierTests.lenient])
    func aCredentialWithoutFiveElements(_ verifier: SigV4Verifier) {
        let request = Self.signedRequest()
        let authorization = Self.authorization(of: request).replacingOccurrences(
            of: "/apigateway/aws4_request", with: "/apigateway")
        let result = verifier.verify(Self.replacingAuthorization(request, with: authorization), now: Self.now)
        #expect(result.errorType == "IncompleteSignatureException")
        #expect(
            result.errorMessage
                == "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
                + "got 'AKIDEXAMPLE/20240102/us-east-1/apigateway'")
    }

    @Test(arguments: [SigV4VerifierTests.verifier, SigV4VerifierTests.lenient])
    func aCredentialScopedWrongly(_ verifier: SigV4Verifier) {
        let request = Self.signedRequest()
        let authorization = Self.authorization(of: request).replacingOccurrences(
            of: "/20240102/us-east-1/apigateway/aws4_request", with: "/20240101//apigateway/aws4_requests")
        let result = verifier.verify(Self.replacingAuthorization(request, with: authorization), now: Self.now)
        #expect(result.errorType == "InvalidSignatureException")
        #expect(
            result.errorMessage
                == "Credential should be scoped to a valid region, not ''. "
                + "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_requests'. "
                + "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                + "'20240101' != '20240102', from '20240102T030405Z'.")
    }

    // MARK: - Keys and signatures

    @Test func anUnknownAccessKey() {
        let verifier = SigV4Verifier(mode: .verify(credentials: ["AKIDOTHER": Self.secret]))
        let result = verifier.verify(Self.signedRequest(), now: Self.now)
        #expect(result.errorType == "UnrecognizedClientException")
        #expect(result.errorMessage == "The security token included in the request is invalid.")
        #expect(result.error?.status == 403)
    }

    @Test func noCredentialsAtAll() {
        let verifier = SigV4Verifier(mode: .verify(credentials: [:]))
        #expect(verifier.verify(Self.signedRequest(), now: Self.now).errorType == "UnrecognizedClientException")
    }

    @Test func aSignatureOfTheWrongLengthOrCase() {
        let request = Self.signedRequest()
        let authorization = Self.authorization(of: request)
        let signature = String(authorization.suffix(64))
        for forged in [String(signature.dropLast()), signature + "0", signature.uppercased(), ""] {
            let changed = authorization.replacingOccurrences(of: "Signature=" + signature, with: "Signature=" + forged)
            let result = Self.verifier.verify(Self.replacingAuthorization(request, with: changed), now: Self.now)
            #expect(result.errorType == (forged.isEmpty ? "IncompleteSignatureException" : "InvalidSignatureException"))
        }
    }

    @Test func aSignedContentHashThatIsNotTheBodys() {
        let body = Array(#"{"name":"k"}"#.utf8)
        let added = Self.signer.sign(
            method: "POST", host: "localhost:4566", path: "/apikeys", query: "", headers: [], body: body, date: Self.now,
            includeContentSHA256Header: true)
        var request = SigV4Request(
            method: "POST", path: "/apikeys", query: "",
            headers: [(name: "Host", value: "localhost:4566")] + added.map { (name: $0.0, value: $0.1) },
            bodySHA256: SigV4Verifier.sha256Hex(body))
        #expect(Self.verifier.verify(request, now: Self.now).error == nil)
        request.bodySHA256 = SigV4Verifier.sha256Hex(Array(#"{"name":"evil"}"#.utf8))
        let result = Self.verifier.verify(request, now: Self.now)
        #expect(result.errorType == "InvalidSignatureException")
        #expect(result.errorMessage == SigV4Fixtures.signatureMismatchMessage)
    }

    // MARK: - Clock

    @Test func signatureExpiredInAWSsWords() {
        let result = Self.verifier.verify(Self.signedRequest(), now: Self.now.addingTimeInterval(901))
        #expect(result.errorType == "InvalidSignatureException")
        #expect(
            result.errorMessage
                == "Signature expired: 20240102T030405Z is now earlier than 20240102T030406Z (20240102T031906Z - 15 min.)")
    }

    @Test func signatureNotYetCurrentInAWSsWords() {
        let result = Self.verifier.verify(Self.signedRequest(), now: Self.now.addingTimeInterval(-901))
        #expect(result.errorType == "InvalidSignatureException")
        #expect(
            result.errorMessage
                == "Signature not yet current: 20240102T030405Z is still later than 20240102T030404Z "
                + "(20240102T024904Z + 15 min.)")
    }

    @Test func aFiveMinuteWindowLikeMostAWSServices() {
        let verifier = SigV4Verifier(mode: .verify(credentials: ["AKIDEXAMPLE": Self.secret]), maxClockSkew: 300)
        #expect(verifier.verify(Self.signedRequest(), now: Self.now.addingTimeInterval(300)).error == nil)
        #expect(verifier.verify(Self.signedRequest(), now: Self.now.addingTimeInterval(-300)).error == nil)
        let late = verifier.verify(Self.signedRequest(), now: Self.now.addingTimeInterval(301))
        #expect(
            late.errorMessage
                == "Signature expired: 20240102T030405Z is now earlier than 20240102T030406Z (20240102T030906Z - 5 min.)")
        let early = verifier.verify(Self.signedRequest(), now: Self.now.addingTimeInterval(-301))
        #expect(
            early.errorMessage
                == "Signature not yet current: 20240102T030405Z is still later than 20240102T030404Z "
                + "(20240102T025904Z + 5 min.)")
    }

    @Test func theClockIsCheckedBeforeTheKey() {
        let verifier = SigV4Verifier(mode: .verify(credentials: [:]))
        let result = verifier.verify(Self.signedRequest(), now: Self.now.addingTimeInterval(3600))
        #expect(result.errorMessage?.hasPrefix("Signature expired: ") == true)
    }

    // MARK: - Presigned URLs

    static let presigned = SigV4Vector.all.first { $0.name == "raw presigned GET, @connections path" }!

    @Test func aPresignedURLMissingItsParameters() {
        var request = Self.presigned.request()
        request.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date="
        for verifier in [Self.verifier, Self.lenient] {
            let result = verifier.verify(request, now: Self.presigned.signingDate)
            #expect(result.errorType == "IncompleteSignatureException")
            #expect(
                result.errorMessage
                    == "AWS query-string parameters must include 'X-Amz-Credential'. "
                    + "AWS query-string parameters must include 'X-Amz-Signature'. "
                    + "AWS query-string parameters must include 'X-Amz-SignedHeaders'. "
                    + "AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.")
        }
    }

    @Test(arguments: [
        ("abc", "X-Amz-Expires should be a number"),
        ("-1", "X-Amz-Expires must be non-negative"),
        (
            "604801",
            "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than "
                + "604800 seconds"
        ),
    ])
    func aPresignedURLWithABadExpiry(_ expires: String, _ message: String) {
        let request = Self.presigned.request(
            query: Self.presigned.query.replacingOccurrences(of: "X-Amz-Expires=60", with: "X-Amz-Expires=" + expires))
        let result = Self.verifier.verify(request, now: Self.presigned.signingDate)
        #expect(result.errorType == "IncompleteSignatureException")
        #expect(result.errorMessage == message)
    }

    @Test func aPresignedURLPastItsExpiry() {
        let signed = Self.presigned.signingDate
        #expect(Self.presignedVerifier.verify(Self.presigned.request(), now: signed.addingTimeInterval(60)).error == nil)
        let result = Self.presignedVerifier.verify(Self.presigned.request(), now: signed.addingTimeInterval(61))
        #expect(result.errorType == "InvalidSignatureException")
        #expect(
            result.errorMessage
                == "Signature expired: 20240102T050001Z is now earlier than 20240102T050002Z (20240102T050102Z - 1 min.)")
    }

    @Test func aPresignedURLSignedInTheFuture() {
        let result = Self.presignedVerifier.verify(
            Self.presigned.request(), now: Self.presigned.signingDate.addingTimeInterval(-901))
        #expect(result.errorType == "InvalidSignatureException")
        #expect(result.errorMessage?.hasPrefix("Signature not yet current: 20240102T050001Z is still later than") == true)
    }

    @Test func aPresignedURLWithItsSignatureRemoved() {
        let query = Self.presigned.query.split(separator: "&").filter { !$0.hasPrefix("X-Amz-Signature=") }
            .joined(separator: "&")
        let result = Self.presignedVerifier.verify(Self.presigned.request(query: query), now: Self.presigned.signingDate)
        #expect(result.errorType == "IncompleteSignatureException")
        #expect(
            result.errorMessage
                == "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters.")
    }

    static var presignedVerifier: SigV4Verifier { presigned.verifier() }

    // MARK: - Development mode

    @Test func developmentModeSkipsKeySecretAndClock() {
        let request = Self.replacingAuthorization(
            Self.signedRequest(),
            with: "AWS4-HMAC-SHA256 Credential=AKIDANYONE/20240102/eu-west-1/apigateway/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=0000")
        let result = Self.lenient.verify(request, now: Self.now.addingTimeInterval(30 * 86_400))
        #expect(result.identity == SigV4Identity(accessKeyId: "AKIDANYONE", region: "eu-west-1", service: "apigateway"))
    }

    // MARK: - Helpers and safety

    @Test func sha256HexOfAnySequence() {
        #expect(SigV4Verifier.sha256Hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let lazy = "abc".utf8.lazy.map { $0 }
        #expect(SigV4Verifier.sha256Hex(lazy) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SigV4Verifier.sha256Hex(Array("abc".utf8)) == SigV4Verifier.sha256Hex(lazy))
    }

    @Test func theVerifierNeverShowsASecret() {
        let verifier = SigV4Verifier(mode: .verify(credentials: ["AKIDONE": "first-s3cret", "AKIDTWO": "second-s3cret"]))
        var dumped = ""
        dump(verifier, to: &dumped)
        var modeDump = ""
        dump(SigV4Verifier.Mode.verify(credentials: ["AKIDONE": "first-s3cret"]), to: &modeDump)
        for text in [String(describing: verifier), String(reflecting: verifier), "\(verifier)", dumped, modeDump] {
            #expect(!text.contains("s3cret"))
        }
        #expect(String(describing: verifier).contains("2 credentials"))
    }
}
