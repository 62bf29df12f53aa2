import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@testable import PorticoLambda

/// The remote invoker's request (signed as botocore signs it) and its reading of the Invoke API's
/// answers (AWS_FACTS L3).
struct RemoteLambdaInvokerTests {
    static let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let date = Date(timeIntervalSince1970: 1_704_164_645)  // 20240102T030405Z

    static func invoker() throws -> RemoteLambdaInvoker {
        try RemoteLambdaInvoker(configuration: .init(endpoint: "http://127.0.0.1:9001", region: "us-east-1", credentials: credentials))
    }

    /// The L3 inputs through the invoker: the signature botocore 1.43.11 computes for them
    /// (`2ed465b1…`; AWS_FACTS' `e9c52da3…` does not follow from its own inputs, see
    /// SigV4SignerTests).
    @Test func signsTheL3KnownAnswer() throws {
        let invocation = LambdaInvocation(functionName: "demo", payload: ByteBuffer(string: #"{"hello":"world"}"#))
        let (head, _) = try Self.invoker().request(for: invocation, date: Self.date)
        #expect(head.method == .POST)
        #expect(head.uri == "/2015-03-31/functions/demo/invocations")
        #expect(head.headers.first(name: "host") == "127.0.0.1:9001")
        #expect(head.headers.first(name: "x-amz-date") == "20240102T030405Z")
        #expect(
            head.headers.first(name: "authorization")
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/lambda/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date;x-amz-invocation-type, "
                + "Signature=2ed465b1437e6f2fb92e9fd4951f5635bd640c71f73f42ac7e831b9e0d205241")
    }

    /// A function ARN travels percent-encoded (`%3A`) and is signed double-encoded, as botocore
    /// does (its signature for the same request, computed with botocore 1.43.11).
    @Test func signsAnARNAsBotocore() throws {
        let invocation = LambdaInvocation(
            functionName: "arn:aws:lambda:us-east-1:123456789012:function:demo", payload: ByteBuffer(string: #"{"hello":"world"}"#))
        let (head, _) = try Self.invoker().request(for: invocation, date: Self.date)
        #expect(head.uri == "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Ademo/invocations")
        #expect(
            head.headers.first(name: "authorization")?.hasSuffix(
                "Signature=e59ea3aba554c5270a1d66dda5c6ec20f7849e752e1937fbb43b48b1da1987a4") == true)
    }

    @Test func unsignedWithoutCredentials() throws {
        let invoker = try RemoteLambdaInvoker(configuration: .init(endpoint: "https://lambda.example:443/base/", region: "us-east-1", credentials: nil))
        let (head, _) = invoker.request(
            for: LambdaInvocation(functionName: "f", qualifier: "live", payload: ByteBuffer(), tailLog: true), date: Self.date)
        #expect(head.uri == "/base/2015-03-31/functions/f/invocations?Qualifier=live")
        #expect(head.headers.first(name: "host") == "lambda.example")
        #expect(head.headers.first(name: "x-amz-log-type") == "Tail")
        #expect(head.headers.first(name: "authorization") == nil)
    }

    static func answer(_ status: Int, _ body: String, _ headers: [(String, String)] = []) -> InvokeAnswer {
        InvokeAnswer(
            head: HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: HTTPHeaders(headers)),
            body: ByteBuffer(string: body))
    }

    @Test func successAndFunctionErrors() {
        guard case .completed(let ok) = RemoteLambdaInvoker.outcome(Self.answer(200, #"{"statusCode":200}"#, [("X-Amz-Executed-Version", "3")])) else {
            Issue.record("not completed")
            return
        }
        #expect(ok.functionError == nil && ok.executedVersion == "3")
        guard case .completed(let handled) = RemoteLambdaInvoker.outcome(Self.answer(200, #"{"errorMessage":"x"}"#, [("X-Amz-Function-Error", "Handled")])) else {
            Issue.record("not completed")
            return
        }
        #expect(handled.functionError == "Handled")
        // The Runtime Interface Emulator: an error object without the header.
        guard case .completed(let rie) = RemoteLambdaInvoker.outcome(Self.answer(200, #"{"errorMessage":"boom","errorType":"ValueError"}"#)) else {
            Issue.record("not completed")
            return
        }
        #expect(rie.functionError == "Unhandled")
        guard case .completed(let timeout) = RemoteLambdaInvoker.outcome(Self.answer(200, "Task timed out after 3.00 seconds")) else {
            Issue.record("not completed")
            return
        }
        #expect(timeout.functionError == "Unhandled")
        #expect(String(buffer: timeout.payload).contains(#""errorMessage":"Task timed out after 3.00 seconds""#))
        // A result that merely mentions errorMessage is not an error.
        guard case .completed(let plain) = RemoteLambdaInvoker.outcome(Self.answer(200, #"{"errorMessage":"only"}"#)) else {
            Issue.record("not completed")
            return
        }
        #expect(plain.functionError == nil)
    }

    @Test func serviceRefusals() {
        guard case .rejected(let throttle) = RemoteLambdaInvoker.outcome(
            Self.answer(429, #"{"Type":"User","message":"Rate Exceeded."}"#, [("x-amzn-ErrorType", "TooManyRequestsException:detail")]))
        else {
            Issue.record("not rejected")
            return
        }
        #expect(throttle == LambdaServiceError(statusCode: 429, type: "TooManyRequestsException", message: "Rate Exceeded."))
        guard case .rejected(let bodyOnly) = RemoteLambdaInvoker.outcome(Self.answer(404, #"{"__type":"com.amazon#ResourceNotFoundException","Message":"gone"}"#))
        else {
            Issue.record("not rejected")
            return
        }
        #expect(bodyOnly.type == "ResourceNotFoundException" && bodyOnly.message == "gone")
    }

    @Test func functionNames() {
        #expect(LambdaFunctionName(parsing: "arn:aws:lambda:us-east-1:123456789012:function:demo") == LambdaFunctionName(name: "demo"))
        #expect(LambdaFunctionName(parsing: "arn:aws:lambda:us-east-1:123456789012:function:demo:live") == LambdaFunctionName(name: "demo", qualifier: "live"))
        #expect(LambdaFunctionName(parsing: "123456789012:function:demo") == LambdaFunctionName(name: "demo"))
        #expect(LambdaFunctionName(parsing: "demo:7") == LambdaFunctionName(name: "demo", qualifier: "7"))
        #expect(LambdaFunctionName(parsing: "demo") == LambdaFunctionName(name: "demo"))
    }

    @Test func credentialsFromEnvironmentAndFile() throws {
        let fromEnvironment = try AWSCredentials.resolve(environment: ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S", "AWS_SESSION_TOKEN": "T"])
        #expect(fromEnvironment == AWSCredentials(accessKeyId: "A", secretAccessKey: "S", sessionToken: "T"))
        #expect(!"\(fromEnvironment!)".contains("S,") && !"\(fromEnvironment!)".contains("T)"))
        let file = "[default]\naws_access_key_id = D\naws_secret_access_key = DS\n\n[other]\nAWS_ACCESS_KEY_ID: O\naws_secret_access_key=O#S;x\naws_session_token = OT\n"
        #expect(try AWSCredentials.parse(file, profile: "other", path: "f") == AWSCredentials(accessKeyId: "O", secretAccessKey: "O#S;x", sessionToken: "OT"))
        #expect(try AWSCredentials.parse(file, profile: "default", path: "f") == AWSCredentials(accessKeyId: "D", secretAccessKey: "DS"))
        #expect(try AWSCredentials.parse(file, profile: "missing", path: "f") == nil)
        #expect(throws: AWSCredentials.LoadError.self) { try AWSCredentials.resolve(environment: ["AWS_ACCESS_KEY_ID": "A"]) }
    }

    @Test func compositeRoutesUnknownFunctionsTo404() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let outcome = try await CompositeLambdaInvoker().invoke(LambdaInvocation(functionName: "nope", payload: ByteBuffer()), on: loop).get()
        guard case .rejected(let error) = outcome else {
            Issue.record("not rejected")
            return
        }
        #expect(error.statusCode == 404 && error.type == "ResourceNotFoundException")
    }
}

extension RemoteLambdaInvokerTests {
    /// An endpoint that accepts and never answers: the invocation fails after the response timeout
    /// rather than holding its connection for ever.
    @Test func anEndpointThatNeverAnswersTimesOut() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let server = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let invoker = try RemoteLambdaInvoker(
            configuration: .init(endpoint: "http://127.0.0.1:\(port)", region: "us-east-1", credentials: nil, responseTimeout: .milliseconds(200)))
        // Without the response timeout this would never return (no timed assertion: a loaded
        // machine makes those flaky).
        await #expect(throws: (any Error).self) {
            _ = try await invoker.invoke(LambdaInvocation(functionName: "f", payload: ByteBuffer(string: "{}")), on: group.next()).get()
        }
    }

    @Test func aRefusedConnectionFailsTheInvocation() async throws {
        let invoker = try RemoteLambdaInvoker(configuration: .init(endpoint: "http://127.0.0.1:1", region: "us-east-1", credentials: nil))
        await #expect(throws: (any Error).self) {
            _ = try await invoker.invoke(
                LambdaInvocation(functionName: "f", payload: ByteBuffer()), on: MultiThreadedEventLoopGroup.singleton.next()
            ).get()
        }
    }
}
