import Foundation
import Testing

@testable import PorticoObservability

struct AccessLogFormatTests {
    /// A record where every field holds a distinct, recognisable value.
    static func fullRecord() -> AccessLogRecord {
        var record = AccessLogRecord()
        record.requestId = "req-1"
        record.extendedRequestId = "ext-1"
        record.apiId = "a1b2c3"
        record.stage = "prod"
        record.routeKey = "GET /items/{id}"
        record.httpMethod = "GET"
        record.path = "/prod/items/42"
        record.protocol = "HTTP/1.1"
        record.sourceIp = "192.0.2.7"
        record.userAgent = "curl/8.5.0"
        record.domainName = "a1b2c3.execute-api.localhost"
        record.domainPrefix = "a1b2c3"
        record.accountId = "000000000000"
        record.requestTimeEpochMillis = 1_720_635_321_799
        record.status = 201
        record.responseLength = 1234
        record.responseLatencyMillis = 17
        record.integrationLatencyMillis = 15
        record.integrationStatus = 200
        record.integrationErrorMessage = "upstream reset"
        record.errorMessage = "Internal Server Error"
        record.errorResponseType = "INTEGRATION_FAILURE"
        record.awsEndpointRequestId = "lambda-req"
        record.awsEndpointRequestId2 = "id-2"
        record.customDomainBasePathMatched = "v1/orders"
        record.dataProcessed = 2048
        record.authorizer = .init(
            error: "Unauthorized",
            principalId: "user-9",
            latencyMillis: 3,
            status: 200,
            claims: ["sub": "abc", "email": "a@example.com"],
            context: ["tenant": "t1", "numKey": "1"]
        )
        record.callerIdentity = .init(
            accountId: "111111111111",
            caller: "AIDACALLER",
            user: "AIDAUSER",
            userArn: "arn:aws:iam::111111111111:user/alice",
            principalOrgId: "o-abc"
        )
        record.clientCertificate = .init(
            pem: "PEM",
            subjectDN: "CN=client",
            issuerDN: "CN=ca",
            serialNumber: "0A",
            notBefore: "May 1 00:00:00 2024 GMT",
            notAfter: "May 1 00:00:00 2025 GMT"
        )
        return record
    }

    /// Every variable AWS documents for HTTP API access logs, with the value it renders from `fullRecord()`.
    static let expectations: [(String, String)] = [
        ("accountId", "000000000000"),
        ("apiId", "a1b2c3"),
        ("authorizer.claims.sub", "abc"),
        ("authorizer.claims.email", "a@example.com"),
        ("authorizer.claims.missing", "-"),
        ("authorizer.claims", "-"),
        ("authorizer.error", "Unauthorized"),
        ("authorizer.principalId", "user-9"),
        ("authorizer.latency", "3"),
        ("authorizer.status", "200"),
        ("authorizer.tenant", "t1"),
        ("authorizer.numKey", "1"),
        ("authorizer.missing", "-"),
        ("awsEndpointRequestId", "lambda-req"),
        ("awsEndpointRequestId2", "id-2"),
        ("customDomain.basePathMatched", "v1/orders"),
        ("dataProcessed", "2048"),
        ("domainName", "a1b2c3.execute-api.localhost"),
        ("domainPrefix", "a1b2c3"),
        ("error.message", "Internal Server Error"),
        ("error.messageString", "\"Internal Server Error\""),
        ("error.responseType", "INTEGRATION_FAILURE"),
        ("extendedRequestId", "ext-1"),
        ("httpMethod", "GET"),
        ("identity.accountId", "111111111111"),
        ("identity.caller", "AIDACALLER"),
        ("identity.cognitoAuthenticationProvider", "-"),
        ("identity.cognitoAuthenticationType", "-"),
        ("identity.cognitoIdentityId", "-"),
        ("identity.cognitoIdentityPoolId", "-"),
        ("identity.principalOrgId", "o-abc"),
        ("identity.clientCert.clientCertPem", "PEM"),
        ("identity.clientCert.subjectDN", "CN=client"),
        ("identity.clientCert.issuerDN", "CN=ca"),
        ("identity.clientCert.serialNumber", "0A"),
        ("identity.clientCert.validity.notBefore", "May 1 00:00:00 2024 GMT"),
        ("identity.clientCert.validity.notAfter", "May 1 00:00:00 2025 GMT"),
        ("identity.sourceIp", "192.0.2.7"),
        ("identity.user", "AIDAUSER"),
        ("identity.userAgent", "curl/8.5.0"),
        ("identity.userArn", "arn:aws:iam::111111111111:user/alice"),
        ("integration.error", "upstream reset"),
        ("integration.integrationStatus", "200"),
        ("integration.latency", "15"),
        ("integration.requestId", "lambda-req"),
        ("integration.status", "200"),
        ("integrationErrorMessage", "upstream reset"),
        ("integrationLatency", "15"),
        ("integrationStatus", "200"),
        ("path", "/prod/items/42"),
        ("protocol", "HTTP/1.1"),
        ("requestId", "req-1"),
        ("requestTime", "10/Jul/2024:18:15:21 +0000"),
        ("requestTimeEpoch", "1720635321799"),
        ("resourcePath", "-"),
        ("responseLatency", "17"),
        ("responseLength", "1234"),
        ("routeKey", "GET /items/{id}"),
        ("stage", "prod"),
        ("status", "201"),
    ]

    static func render(_ format: String, _ record: AccessLogRecord) -> String {
        var buffer: [UInt8] = []
        AccessLogFormat(format).render(record, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test(arguments: expectations)
    func rendersVariable(name: String, expected: String) {
        #expect(Self.render("[$context.\(name)]", Self.fullRecord()) == "[\(expected)]\n")
        #expect(Self.render("[${context.\(name)}]", Self.fullRecord()) == "[\(expected)]\n")
    }

    @Test(arguments: expectations)
    func rendersAbsentValuesAsDash(name: String, expected: String) {
        // Numbers the data plane always has render as numbers; everything else is "-" when empty or nil.
        let alwaysPresent: [String: String] = [
            "requestTime": "01/Jan/1970:00:00:00 +0000",
            "requestTimeEpoch": "0",
            "responseLatency": "0",
            "responseLength": "0",
            "error.messageString": "\"-\"",
        ]
        #expect(Self.render("$context.\(name)", AccessLogRecord()) == (alwaysPresent[name] ?? "-") + "\n")
    }

    @Test func awsJSONExampleIsValidJSON() throws {
        let format = #"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","#
            + #""httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","#
            + #""protocol":"$context.protocol","responseLength":"$context.responseLength"}"#
        let line = Self.render(format, Self.fullRecord())
        #expect(line.hasSuffix("}\n"))
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(
            object == [
                "requestId": "req-1", "ip": "192.0.2.7", "requestTime": "10/Jul/2024:18:15:21 +0000", "httpMethod": "GET",
                "routeKey": "GET /items/{id}", "status": "201", "protocol": "HTTP/1.1", "responseLength": "1234",
            ]
        )
    }

    @Test func jsonFormatEscapesValues() throws {
        var record = Self.fullRecord()
        record.userAgent = "evil\"agent\\with\nnewline\ttab\u{01}and ünïcode"
        let line = Self.render(#" {"ua":"$context.identity.userAgent","id":"$context.requestId"}"#, record)
        #expect(line == #" {"ua":"evil\"agent\\with\nnewline\ttab\u0001and ünïcode","id":"req-1"}"# + "\n")
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["ua"] == record.userAgent)
    }

    @Test func jsonEscapingRoundTripsEveryASCIIByteAtEveryOffset() throws {
        // The escaper scans eight bytes at a time; put each byte at each position of a word and past it.
        let format = AccessLogFormat(#"{"ua":"$context.identity.userAgent"}"#)
        for byte in UInt8(0)...127 {
            for offset in 0..<17 {
                var bytes = Array("abcdefghijklmnopq".utf8)
                bytes[offset] = byte
                var record = AccessLogRecord()
                record.userAgent = String(decoding: bytes, as: UTF8.self)
                var line: [UInt8] = []
                format.render(record, into: &line)
                #expect(line.filter { $0 == UInt8(ascii: "\n") }.count == 1)
                let object = try #require(JSONSerialization.jsonObject(with: Data(line)) as? [String: String])
                #expect(object["ua"] == record.userAgent, "byte \(byte) at \(offset)")
            }
        }
    }

    @Test func jsonFormatWithBareNumbersAndQuotedMessage() throws {
        var record = Self.fullRecord()
        record.errorMessage = "say \"hi\""
        let line = Self.render(#"{"status":$context.status,"message":$context.error.messageString}"#, record)
        #expect(line == #"{"status":201,"message":"say \"hi\""}"# + "\n")
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == "say \"hi\"")
    }

    @Test func commonLogFormat() {
        let format = #"$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.routeKey $context.protocol" "#
            + #"$context.status $context.responseLength $context.requestId"#
        #expect(
            Self.render(format, Self.fullRecord())
                == #"192.0.2.7 - - [10/Jul/2024:18:15:21 +0000] "GET GET /items/{id} HTTP/1.1" 201 1234 req-1"# + "\n"
        )
    }

    @Test func textFormatEscapesQuotesBackslashesAndControlBytes() {
        var record = Self.fullRecord()
        record.userAgent = "a\"b\\c\nd\u{7F}"
        #expect(Self.render(#"$context.requestId "$context.identity.userAgent""#, record) == #"req-1 "a\"b\\c\x0ad\x7f""# + "\n")
    }

    @Test func xmlFormatEscapesEntities() {
        var record = Self.fullRecord()
        record.userAgent = "<a href=\"x\">&'\n\u{02}"
        let line = Self.render(#"<request id="$context.requestId"><ua>$context.identity.userAgent</ua></request>"#, record)
        #expect(line == #"<request id="req-1"><ua>&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#10;&#xFFFD;</ua></request>"# + "\n")
    }

    @Test func unknownVariablesRenderAsDash() {
        let record = Self.fullRecord()
        #expect(Self.render("$context.nope|$context.request.header.x-id|${context.nope}", record) == "-|-|-\n")
    }

    @Test func textThatIsNotAVariableStaysLiteral() {
        let record = Self.fullRecord()
        #expect(Self.render("$ $context $context. ${context.} ${context.requestId $stageVariables.env $input.body", record)
            == "$ $context $context. ${context.} ${context.requestId $stageVariables.env $input.body\n")
        #expect(Self.render("cost: 5$", record) == "cost: 5$\n")
    }

    @Test func variableNamesRunOverDotsAndHyphens() {
        let record = Self.fullRecord()
        // As API Gateway reads them: `-` and `.` continue a name, so these are unknown names.
        #expect(Self.render("$context.requestId-$context.stage", record) == "-prod\n")
        #expect(Self.render("$context.stage.", record) == "-\n")
        #expect(Self.render("$context.status,$context.stage;$context.apiId/$context.httpMethod:", record) == "201,prod;a1b2c3/GET:\n")
    }

    @Test func lineBreaksInTheFormatNeverSplitALine() {
        let record = Self.fullRecord()
        #expect(Self.render("$context.requestId\n", record) == "req-1\n")
        #expect(Self.render("$context.requestId\r\n$context.stage\r\n", record) == "req-1  prod\n")
    }

    @Test func renderAppendsToTheBuffer() {
        var buffer = Array("previous\n".utf8)
        let format = AccessLogFormat("$context.requestId")
        format.render(Self.fullRecord(), into: &buffer)
        format.render(Self.fullRecord(), into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "previous\nreq-1\nreq-1\n")
    }

    @Test func statusZeroAndNegativeNumbers() {
        var record = AccessLogRecord()
        record.status = 0
        record.integrationStatus = -1
        record.responseLatencyMillis = 1_000_000_007
        #expect(Self.render("$context.status $context.integrationStatus $context.responseLatency", record) == "- -1 1000000007\n")
    }

    @Test(arguments: [
        Int64(0), 1, 999, 1000, -1, -1000, -1001, 951_782_400_000,  // 2000-02-29
        951_868_800_000, 1_709_164_800_000, 1_709_251_199_999, 4_102_444_800_000, 253_402_300_799_999,
        1_720_635_321_799, -2_208_988_800_000, 1_234_567_890_123,
    ])
    func requestTimeMatchesFoundation(epochMillis: Int64) {
        var record = AccessLogRecord()
        record.requestTimeEpochMillis = epochMillis
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "dd/MMM/yyyy:HH:mm:ss Z"
        let seconds = (Double(epochMillis) / 1000).rounded(.down)
        let expected = formatter.string(from: Date(timeIntervalSince1970: seconds))
        #expect(Self.render("$context.requestTime", record) == expected + "\n")
    }

    @Test func requestTimeKnownValues() {
        var record = AccessLogRecord()
        record.requestTimeEpochMillis = 1_709_164_800_123  // 2024-02-29T00:00:00.123Z
        #expect(Self.render("$context.requestTime", record) == "29/Feb/2024:00:00:00 +0000\n")
        record.requestTimeEpochMillis = -1
        #expect(Self.render("$context.requestTime", record) == "31/Dec/1969:23:59:59 +0000\n")
    }
}
