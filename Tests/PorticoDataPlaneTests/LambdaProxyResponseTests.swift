import Testing

@testable import PorticoDataPlane

/// Reading a function's answer as API Gateway does: payload 1.0 row by row against AWS_FACTS
/// fact 4, and payload 2.0's assumptions (L4).
struct LambdaProxyResponseTests {
    static func v1(_ text: String) -> Result<LambdaProxyResponse, LambdaProxyResponse.Malformed> {
        LambdaProxyResponse.parseV1(Array(text.utf8))
    }

    static func v2(_ text: String) -> Result<LambdaProxyResponse, LambdaProxyResponse.Malformed> {
        LambdaProxyResponse.parseV2(Array(text.utf8))
    }

    @Test(arguments: [
        #"{"statusCode":200,"wrongValue":"value"}"#, "{}", #""justAString""#, #"{"statusCode": "test"}"#,
        #"{"statusCode":200,"multiValueHeaders":{"x":"value1"}}"#, "not json", #"{"statusCode":200,"body":{"a":1}}"#,
        #"{"statusCode":200,"isBase64Encoded":"yes"}"#,
    ])
    func malformedPayload1(_ text: String) {
        guard case .failure = Self.v1(text) else {
            Issue.record("\(text) was accepted")
            return
        }
    }

    @Test func fact4AcceptedRows() throws {
        #expect(try Self.v1(#"{"statusCode": 200}"#).get() == LambdaProxyResponse(status: 200, headers: [], body: [], isBase64Encoded: false))
        #expect(try Self.v1(#"{"statusCode": "201"}"#).get().status == 201)
        let noStatus = try Self.v1(#"{"headers": {"test-header": "value"}}"#).get()
        #expect(noStatus.status == 200)
        #expect(noStatus.headers.map { "\($0.0)=\($0.1)" } == ["test-header=value"])
        #expect(try Self.v1(#"{"statusCode":200,"headers":{"header-bool":true}}"#).get().headers.map(\.1) == ["true"])
        let multi = try Self.v1(#"{"statusCode":200,"multiValueHeaders":{"test-multi":["value1","value2"]}}"#).get()
        #expect(multi.headers.map { "\($0.0)=\($0.1)" } == ["test-multi=value1", "test-multi=value2"])
        let merged = try Self.v1(#"{"statusCode":200,"multiValueHeaders":{"test-multi":["value-multi"]},"headers":{"test-multi":"value-solo"}}"#).get()
        #expect(merged.headers.map(\.1) == ["value-multi", "value-solo"])
        let base64 = try Self.v1(#"{"statusCode":200,"body":"dGVzdC1kYXRh","isBase64Encoded":true}"#).get()
        #expect(base64.decodedBody(decodeBase64: false) == Array("dGVzdC1kYXRh".utf8))
        #expect(base64.decodedBody(decodeBase64: true) == Array("test-data".utf8))
    }

    @Test func payload2Assumptions() throws {
        let plain = try Self.v2(#"{"message":"hi"}"#).get()
        #expect(plain.status == 200)
        #expect(plain.headers.map { "\($0.0)=\($0.1)" } == ["content-type=application/json"])
        #expect(plain.body == Array(#"{"message":"hi"}"#.utf8))
        #expect(try Self.v2(#""a string""#).get().body == Array(#""a string""#.utf8))
        let full = try Self.v2(#"{"statusCode":404,"headers":{"a":"b"},"cookies":["c=1","d=2"],"body":"gone","extra":1}"#).get()
        #expect(full.status == 404)
        #expect(full.headers.map { "\($0.0)=\($0.1)" } == ["a=b", "set-cookie=c=1", "set-cookie=d=2"])
        #expect(full.body == Array("gone".utf8))
        guard case .failure = Self.v2("not json") else {
            Issue.record("invalid JSON was accepted")
            return
        }
    }

    @Test func errorMessageOfAFunctionError() {
        #expect(LambdaFunctionError.errorMessage(Array(#"{"errorMessage":"Bad input","errorType":"ValueError"}"#.utf8)) == "Bad input")
        #expect(LambdaFunctionError.errorMessage(Array("[]".utf8)) == nil)
    }
}
