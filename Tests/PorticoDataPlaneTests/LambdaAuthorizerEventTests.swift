import Foundation
import NIOCore
import Testing

@testable import PorticoDataPlane

/// The REST REQUEST authorizer event and `requestContext.authorizer` in the 1.0 proxy event
/// (AWS: "Input to an API Gateway Lambda authorizer", "Output from an API Gateway Lambda authorizer").
struct LambdaAuthorizerEventTests {
    static let arn = "arn:aws:execute-api:us-east-1:111111111111:abc123/stage/GET/proxy-value"

    @Test func requestEventLeadsWithTypeAndMethodArnAndHasNoBody() throws {
        let request = LambdaProxyEventTests.request(
            uri: "/stage/proxy-value?key=k1", headers: [("Authorization", "tok")], path: "/proxy-value", contextPath: "/stage/proxy-value",
            query: "key=k1", body: Array("ignored".utf8))
        let write: (inout ByteBuffer) -> Void = { LambdaProxyEvent.writeAuthorizerRequest(request, methodArn: Self.arn, into: &$0) }
        #expect(
            LambdaProxyEventTests.keys(write) == [
                "type", "methodArn", "resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters",
                "multiValueQueryStringParameters", "pathParameters", "stageVariables", "requestContext",
            ])
        let event = try LambdaProxyEventTests.json(write)
        #expect(event["type"] as? String == "REQUEST")
        #expect(event["methodArn"] as? String == Self.arn)
        #expect((event["headers"] as? [String: String])?["Authorization"] == "tok")
        #expect((event["queryStringParameters"] as? [String: String]) == ["key": "k1"])
        let context = try #require(event["requestContext"] as? [String: Any])
        #expect(context["authorizer"] == nil)
    }

    @Test func proxyEventCarriesTheAuthorizerAfterApiId() throws {
        var request = LambdaProxyEventTests.request(
            uri: "/stage/proxy-value", headers: [], path: "/proxy-value", contextPath: "/stage/proxy-value", query: "")
        request.context.authorizer = .init(principalId: "user-1", values: [("admin", "true"), ("level", "3")], latencyMillis: 12)
        let event = try LambdaProxyEventTests.json { LambdaProxyEvent.writeV1(request, isHttpApi: false, into: &$0) }
        let context = try #require(event["requestContext"] as? [String: Any])
        let authorizer = try #require(context["authorizer"] as? [String: Any])
        #expect(authorizer["principalId"] as? String == "user-1")
        #expect(authorizer["admin"] as? String == "true")
        #expect(authorizer["level"] as? String == "3")
        #expect(authorizer["integrationLatency"] as? Int == 12)
    }
}
