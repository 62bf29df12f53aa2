import Foundation
import NIOCore
import PorticoLambda
import PorticoModel
import Testing

@testable import PorticoManagement

/// Permissions, reserved concurrency, tags and Invoke, in process. Invoke runs against the
/// ``InProcessFunctionHost``'s canned outcomes: what is checked here is the mapping to the Invoke
/// API, not running functions.
struct LambdaPolicyConcurrencyInvokeTests {
    @Test func permissionsRoundTripAsPolicyText() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        try await harness.create("fn")
        let added = try await harness.call(
            "POST", "/2015-03-31/functions/fn/policy",
            json: ["StatementId": "s1", "Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com",
                   "SourceArn": "arn:aws:execute-api:us-east-1:000000000000:api/*", "SourceAccount": "000000000000"])
        #expect(added.status == 201)
        let statement = try #require(added.json["Statement"] as? String)
        #expect(
            statement
                == #"{"Sid":"s1","Effect":"Allow","Principal":{"Service":"apigateway.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:000000000000:function:fn","Condition":{"StringEquals":{"AWS:SourceAccount":"000000000000"},"ArnLike":{"AWS:SourceArn":"arn:aws:execute-api:us-east-1:000000000000:api/*"}}}"#)

        let policy = try await harness.call("GET", "/2015-03-31/functions/fn/policy")
        let text = try #require(policy.json["Policy"] as? String)
        #expect(text == #"{"Version":"2012-10-17","Id":"default","Statement":["# + statement + "]}")
        let revision = try #require(policy.json["RevisionId"] as? String)

        let duplicate = try await harness.call(
            "POST", "/2015-03-31/functions/fn/policy", json: ["StatementId": "s1", "Action": "lambda:*", "Principal": "*"])
        #expect(duplicate.status == 409)
        let stale = try await harness.call("DELETE", "/2015-03-31/functions/fn/policy/s1?RevisionId=nope")
        #expect(stale.status == 412)
        #expect(try await harness.call("DELETE", "/2015-03-31/functions/fn/policy/s1?RevisionId=\(revision)").status == 204)
        let gone = try await harness.call("GET", "/2015-03-31/functions/fn/policy")
        #expect(gone.status == 404)
        #expect(gone.message == "The resource you requested does not exist.")
        let missing = try await harness.call("DELETE", "/2015-03-31/functions/fn/policy/s1")
        #expect(missing.message == "Statement s1 is not found in resource policy.")
        let invalid = try await harness.call(
            "POST", "/2015-03-31/functions/fn/policy", json: ["StatementId": "bad id", "Action": "invoke", "Principal": "x"])
        #expect(invalid.errorType == "ValidationException")
        #expect(invalid.message?.hasPrefix("2 validation errors detected") == true)
    }

    @Test func reservedConcurrencyReachesTheHost() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        try await harness.create("fn")
        try await harness.create("other")
        #expect(try await harness.call("GET", "/2019-09-30/functions/fn/concurrency").json.isEmpty)
        let put = try await harness.call("PUT", "/2017-10-31/functions/fn/concurrency", json: ["ReservedConcurrentExecutions": 800])
        #expect(put.json["ReservedConcurrentExecutions"] as? Int == 800)
        #expect(harness.host.functions["fn"]?.reservedConcurrency == 800)
        let tooMuch = try await harness.call(
            "PUT", "/2017-10-31/functions/other/concurrency", json: ["ReservedConcurrentExecutions": 101])
        #expect(tooMuch.errorType == "InvalidParameterValueException")
        #expect(try await harness.call("DELETE", "/2017-10-31/functions/fn/concurrency").status == 204)
        #expect(harness.host.functions["fn"]?.reservedConcurrency == nil)
        #expect(try await harness.call("GET", "/2019-09-30/functions/fn/concurrency").json.isEmpty)
    }

    @Test func tagsOnFunctionArns() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        try await harness.create("fn", ["Tags": ["a": "1"]])
        let arn = "arn:aws:lambda:us-east-1:000000000000:function:fn"
        let escaped = arn.replacingOccurrences(of: ":", with: "%3A")
        #expect(try await harness.call("POST", "/2017-03-31/tags/\(escaped)", json: ["Tags": ["b": "2"]]).status == 204)
        #expect(try await harness.call("DELETE", "/2017-03-31/tags/\(escaped)?tagKeys=a").status == 204)
        #expect(try await harness.call("GET", "/2017-03-31/tags/\(escaped)").json["Tags"] as? [String: String] == ["b": "2"])
        #expect(try await harness.call("GET", "/2017-03-31/tags/fn").errorType == "ValidationException")
    }

    @Test func invokeMapsACompletedInvocation() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        try await harness.create("fn")
        harness.host.answer(
            .completed(
                LambdaInvocationResponse(
                    payload: ByteBuffer(string: #"{"errorMessage":"kaboom","errorType":"ValueError"}"#),
                    functionError: "Unhandled", logResult: "bG9n")))
        let reply = try await harness.call(
            "POST", "/2015-03-31/functions/fn/invocations?Qualifier=$LATEST", raw: Array(#"{"a":1}"#.utf8),
            headers: [("X-Amz-Log-Type", "Tail"), ("X-Amz-Client-Context", "e30="), ("X-Amzn-Trace-Id", "Root=1-abc")])
        #expect(reply.status == 200)
        #expect(reply.header("X-Amz-Function-Error") == "Unhandled")
        #expect(reply.header("X-Amz-Log-Result") == "bG9n")
        #expect(reply.header("X-Amz-Executed-Version") == "$LATEST")
        #expect(reply.json["errorType"] as? String == "ValueError")
        let invocation = try #require(harness.host.invocations.first)
        #expect(invocation.functionName == "fn")
        #expect(invocation.qualifier == "$LATEST")
        #expect(invocation.tailLog)
        #expect(invocation.invocationType == .requestResponse)
        #expect(invocation.clientContext == "e30=")
        #expect(invocation.traceId == "Root=1-abc")
        #expect(String(buffer: invocation.payload) == #"{"a":1}"#)
    }

    @Test func invokeMapsARefusalToLambdasErrorShape() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        try await harness.create("fn")
        harness.host.answer(.rejected(LambdaServiceError(
            statusCode: 429, type: "TooManyRequestsException", message: "Rate Exceeded.",
            reason: "ReservedFunctionConcurrentInvocationLimitExceeded")))
        let reply = try await harness.call("POST", "/2015-03-31/functions/fn/invocations", raw: Array("{}".utf8))
        #expect(reply.status == 429)
        #expect(reply.errorType == "TooManyRequestsException")
        #expect(reply.json["message"] as? String == "Rate Exceeded.")
        #expect(reply.json["Type"] as? String == "User")
        #expect(reply.json["Reason"] as? String == "ReservedFunctionConcurrentInvocationLimitExceeded")
    }

    @Test func invokeChecksTheRequestFirst() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        try await harness.create("fn")
        let dry = try await harness.call(
            "POST", "/2015-03-31/functions/fn/invocations", raw: Array("{}".utf8), headers: [("X-Amz-Invocation-Type", "DryRun")])
        #expect(dry.status == 204)
        let event = try await harness.call(
            "POST", "/2015-03-31/functions/fn/invocations", raw: [], headers: [("X-Amz-Invocation-Type", "Event"), ("X-Amz-Log-Type", "Tail")])
        #expect(event.status == 200)  // the canned outcome's status
        #expect(harness.host.invocations.last?.invocationType == .event)
        #expect(harness.host.invocations.last?.tailLog == false)
        let notJSON = try await harness.call("POST", "/2015-03-31/functions/fn/invocations", raw: Array("{nope".utf8))
        #expect(notJSON.errorType == "InvalidRequestContentException")
        let badType = try await harness.call(
            "POST", "/2015-03-31/functions/fn/invocations", raw: [], headers: [("X-Amz-Invocation-Type", "Later")])
        #expect(badType.errorType == "ValidationException")
        let tooLarge = try await harness.call(
            "POST", "/2015-03-31/functions/fn/invocations", raw: Array(repeating: UInt8(ascii: " "), count: 6_291_457))
        #expect(tooLarge.status == 413)
        #expect(tooLarge.errorType == "RequestTooLargeException")
        #expect(harness.host.invocations.count == 1)
    }
}

/// The small parsers the Lambda operations rely on.
struct LambdaParsingTests {
    @Test(arguments: [
        ("fn", "fn", nil), ("fn:$LATEST", "fn", "$LATEST"), ("000000000000:function:fn", "fn", nil),
        ("arn:aws:lambda:us-east-1:000000000000:function:fn:7", "fn", "7"),
    ] as [(String, String, String?)])
    func functionNames(_ text: String, _ name: String, _ qualifier: String?) throws {
        let reference = try LambdaFunctionReference(parsing: text, region: "us-east-1", accountId: "000000000000")
        #expect(reference == LambdaFunctionReference(name: name, qualifier: qualifier))
    }

    @Test func otherRegionsAndBadNamesAreRefused() {
        #expect(throws: LambdaErrors.notFound("Functions from 'eu-west-1' are not reachable in this region ('us-east-1')")) {
            try LambdaFunctionReference(
                parsing: "arn:aws:lambda:eu-west-1:000000000000:function:fn", region: "us-east-1", accountId: "000000000000")
        }
        #expect(throws: APIError.self) {
            try LambdaFunctionReference(parsing: "has space", region: "us-east-1", accountId: "000000000000")
        }
        #expect(throws: APIError.self) {
            try LambdaFunctionReference(parsing: "fn:1", qualifier: "2", region: "us-east-1", accountId: "000000000000")
        }
    }

    @Test func lambdaPathsAreToldFromApiGatewayPaths() {
        #expect(LambdaRoutes.isLambdaPath("/2015-03-31/functions"))
        #expect(LambdaRoutes.isLambdaPath("/2017-03-31/tags/arn"))
        #expect(!LambdaRoutes.isLambdaPath("/v2/apis"))
        #expect(!LambdaRoutes.isLambdaPath("/restapis/abc/stages"))
        #expect(!LambdaRoutes.isLambdaPath("/2015-03-31"))
        #expect(LambdaRoutes.codeUploadOperation(method: "POST", path: "/2015-03-31/functions/") == "CreateFunction")
        #expect(LambdaRoutes.codeUploadOperation(method: "PUT", path: "/2015-03-31/functions/f/code") == "UpdateFunctionCode")
        #expect(LambdaRoutes.codeUploadOperation(method: "PUT", path: "/2015-03-31/functions/f/configuration") == nil)
        #expect(LambdaRoutes.requestLimit(maxZipBytes: 52_428_800) == 69_905_067)
    }

    @Test func errorBodiesFollowTheModelsSpelling() {
        #expect(LambdaErrors.body(LambdaErrors.functionNotFound("arn")) == #"{"Type":"User","Message":"Function not found: arn"}"#)
        #expect(LambdaErrors.body(LambdaErrors.cannotUnzip).hasPrefix(#"{"Type":"User","message":"Could not unzip"#))
        #expect(LambdaErrors.body(LambdaErrors.service("x")) == #"{"Type":"Service","Message":"x"}"#)
        #expect(LambdaErrors.body(LambdaErrors.validation(["a"])) == #"{"message":"1 validation error detected: a"}"#)
    }

    @Test func lastModifiedHasMillisecondsAndAnOffset() {
        #expect(LambdaFunctionView.lastModified(Date(timeIntervalSince1970: 1_704_164_645.6785)) == "2024-01-02T03:04:05.678+0000")
    }
}
