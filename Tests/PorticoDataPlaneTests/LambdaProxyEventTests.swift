import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import PorticoDataPlane

/// The Lambda proxy events, member by member against AWS_FACTS facts 2, 3 and 9 and the samples
/// in `../shared/aws-events/`.
struct LambdaProxyEventTests {
    static func request(
        uri: String, headers: [(String, String)], path: String, contextPath: String, query: String, resource: String = "/{proxy+}",
        routeKey: String = "ANY /{proxy+}", pathParameters: [(name: String, value: String)] = [("proxy", "proxy-value")],
        stageVariables: [String: String] = [:], body: [UInt8] = [], binary: Bool = false, stage: String = "stage",
        deploymentId: String? = "dep123"
    ) -> LambdaProxyRequest {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: HTTPHeaders(headers))
        return LambdaProxyRequest(
            head: head, path: path, contextPath: contextPath, rawQuery: query[...], resource: resource, routeKey: routeKey,
            pathParameters: pathParameters, stageVariables: stageVariables,
            context: .init(
                accountId: "111111111111", apiId: "abc123", deploymentId: deploymentId, domainName: "abc123.execute-api.localhost",
                extendedRequestId: "ext-1", requestId: "req-uuid", stage: stage, requestTimeEpochMillis: 1_583_349_317_135,
                sourceIp: "192.0.2.1", resourceId: "res1", resourcePath: resource),
            body: body, bodyIsBinary: binary)
    }

    static func json(_ write: (inout ByteBuffer) -> Void) throws -> [String: Any] {
        var buffer = ByteBuffer()
        write(&buffer)
        let object = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
        return try #require(object as? [String: Any])
    }

    /// Member names in the order they were written.
    static func keys(_ write: (inout ByteBuffer) -> Void) -> [String] {
        var buffer = ByteBuffer()
        write(&buffer)
        let text = String(buffer: buffer)
        // Top-level members only: scan with a depth counter.
        var keys: [String] = []
        var depth = 0
        var inString = false
        var escaped = false
        var current = ""
        var expectingKey = false
        for character in text {
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" {
                    inString = false
                    if depth == 1, expectingKey { keys.append(current) }
                } else { current.append(character) }
                continue
            }
            switch character {
            case "\"":
                inString = true
                current = ""
            case "{", "[":
                depth += 1
                expectingKey = character == "{"
            case "}", "]": depth -= 1
            case ",": expectingKey = depth == 1 || expectingKey
            case ":": expectingKey = false
            default: break
            }
        }
        return keys
    }

    @Test func restPayloadIsFact2() throws {
        let request = Self.request(
            uri: "/stage/proxy-value?urlparam=test", headers: [("Accept", "*/*"), ("User-Agent", "python-requests/testing"), ("tEsT-HEADeR", "aValUE")],
            path: "/proxy-value", contextPath: "/stage/proxy-value", query: "urlparam=test")
        let event = try Self.json { LambdaProxyEvent.writeV1(request, isHttpApi: false, into: &$0) }
        #expect(
            Self.keys { LambdaProxyEvent.writeV1(request, isHttpApi: false, into: &$0) } == [
                "resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters", "multiValueQueryStringParameters",
                "pathParameters", "stageVariables", "requestContext", "body", "isBase64Encoded",
            ])
        #expect(event["resource"] as? String == "/{proxy+}")
        #expect(event["path"] as? String == "/proxy-value")
        #expect(event["httpMethod"] as? String == "GET")
        #expect((event["headers"] as? [String: String])?["tEsT-HEADeR"] == "aValUE")
        #expect((event["multiValueHeaders"] as? [String: [String]])?["tEsT-HEADeR"] == ["aValUE"])
        #expect(event["queryStringParameters"] as? [String: String] == ["urlparam": "test"])
        #expect(event["multiValueQueryStringParameters"] as? [String: [String]] == ["urlparam": ["test"]])
        #expect(event["pathParameters"] as? [String: String] == ["proxy": "proxy-value"])
        #expect(event["stageVariables"] is NSNull)
        #expect(event["body"] is NSNull)
        #expect(event["isBase64Encoded"] as? Bool == false)
        #expect(event["version"] == nil)
        let context = try #require(event["requestContext"] as? [String: Any])
        #expect(
            Set(context.keys) == [
                "accountId", "apiId", "deploymentId", "domainName", "domainPrefix", "extendedRequestId", "httpMethod", "identity", "path",
                "protocol", "requestId", "requestTime", "requestTimeEpoch", "resourceId", "resourcePath", "stage",
            ])
        #expect(context["path"] as? String == "/stage/proxy-value")
        #expect(context["domainPrefix"] as? String == "abc123")
        #expect(context["requestTime"] as? String == "04/Mar/2020:19:15:17 +0000")
        #expect(context["requestTimeEpoch"] as? Int == 1_583_349_317_135)
        #expect(context["protocol"] as? String == "HTTP/1.1")
        let identity = try #require(context["identity"] as? [String: Any])
        #expect(identity.count == 12)
        #expect(identity["sourceIp"] as? String == "192.0.2.1")
        #expect(identity["userAgent"] as? String == "python-requests/testing")
        #expect(identity["accessKey"] is NSNull && identity["userArn"] is NSNull && identity["principalOrgId"] is NSNull)
    }

    @Test func noQueryMeansNullAndRepeatedNamesLastValueWins() throws {
        let empty = Self.request(uri: "/s/x", headers: [], path: "/x", contextPath: "/s/x", query: "")
        let event = try Self.json { LambdaProxyEvent.writeV1(empty, isHttpApi: false, into: &$0) }
        #expect(event["queryStringParameters"] is NSNull)
        #expect(event["multiValueQueryStringParameters"] is NSNull)
        #expect(event["headers"] is NSNull)
        let repeated = Self.request(
            uri: "/s/x", headers: [], path: "/x", contextPath: "/s/x", query: "category=electronics&category=books&price=10&price=20&price=30")
        let fact3 = try Self.json { LambdaProxyEvent.writeV1(repeated, isHttpApi: false, into: &$0) }
        #expect(fact3["queryStringParameters"] as? [String: String] == ["category": "books", "price": "30"])
        #expect(
            fact3["multiValueQueryStringParameters"] as? [String: [String]] == [
                "category": ["electronics", "books"], "price": ["10", "20", "30"],
            ])
    }

    @Test func bodiesTextBinaryAndEscaped() throws {
        let text = Self.request(uri: "/s/x", headers: [], path: "/x", contextPath: "/s/x", query: "", body: Array("line\n\"q\"\u{01}é".utf8))
        let event = try Self.json { LambdaProxyEvent.writeV1(text, isHttpApi: false, into: &$0) }
        #expect(event["body"] as? String == "line\n\"q\"\u{01}é")
        #expect(event["isBase64Encoded"] as? Bool == false)
        let binary = Self.request(uri: "/s/x", headers: [], path: "/x", contextPath: "/s/x", query: "", body: [0, 0xFF, 0x10], binary: true)
        let encoded = try Self.json { LambdaProxyEvent.writeV1(binary, isHttpApi: false, into: &$0) }
        #expect(encoded["body"] as? String == "AP8Q")
        #expect(encoded["isBase64Encoded"] as? Bool == true)
    }

    @Test func httpApiPayload1HasVersionAndAuthorizer() throws {
        let request = Self.request(
            uri: "/my/path", headers: [("header1", "value1"), ("header2", "value1"), ("header2", "value2")], path: "/my/path",
            contextPath: "/my/path", query: "parameter1=value1&parameter1=value2&parameter2=value", resource: "/my/path",
            pathParameters: [], stage: "$default", deploymentId: nil)
        let event = try Self.json { LambdaProxyEvent.writeV1(request, isHttpApi: true, into: &$0) }
        #expect(event["version"] as? String == "1.0")
        #expect(event["headers"] as? [String: String] == ["header1": "value1", "header2": "value2"])
        #expect(event["multiValueHeaders"] as? [String: [String]] == ["header1": ["value1"], "header2": ["value1", "value2"]])
        #expect(event["queryStringParameters"] as? [String: String] == ["parameter1": "value2", "parameter2": "value"])
        #expect(event["pathParameters"] is NSNull)
        let context = try #require(event["requestContext"] as? [String: Any])
        #expect(context["deploymentId"] == nil)
        let authorizer = try #require(context["authorizer"] as? [String: Any])
        #expect(authorizer["claims"] is NSNull && authorizer["scopes"] is NSNull)
    }

    /// AWS's 2.0 sample (`awsdocs-httpapi-proxy-v2.json`): the same request gives the same members.
    @Test func payload2MatchesAWSSample() throws {
        let request = Self.request(
            uri: "/my/path?parameter1=value1&parameter1=value2&parameter2=value",
            headers: [("Header1", "value1"), ("Header2", "value1"), ("header2", "value2"), ("Cookie", "cookie1; cookie2"), ("User-Agent", "agent")],
            path: "/my/path", contextPath: "/my/path", query: "parameter1=value1&parameter1=value2&parameter2=value", resource: "/my/path",
            routeKey: "$default", pathParameters: [("parameter1", "value1")],
            stageVariables: ["stageVariable1": "value1", "stageVariable2": "value2"], body: Array("Hello from Lambda".utf8), stage: "$default",
            deploymentId: nil)
        let event = try Self.json { LambdaProxyEvent.writeV2(request, into: &$0) }
        #expect(
            Self.keys { LambdaProxyEvent.writeV2(request, into: &$0) } == [
                "version", "routeKey", "rawPath", "rawQueryString", "cookies", "headers", "queryStringParameters", "requestContext", "body",
                "pathParameters", "isBase64Encoded", "stageVariables",
            ])
        #expect(event["version"] as? String == "2.0")
        #expect(event["routeKey"] as? String == "$default")
        #expect(event["rawPath"] as? String == "/my/path")
        #expect(event["rawQueryString"] as? String == "parameter1=value1&parameter1=value2&parameter2=value")
        #expect(event["cookies"] as? [String] == ["cookie1", "cookie2"])
        #expect(event["headers"] as? [String: String] == ["header1": "value1", "header2": "value1,value2", "user-agent": "agent"])
        #expect(event["queryStringParameters"] as? [String: String] == ["parameter1": "value1,value2", "parameter2": "value"])
        #expect(event["body"] as? String == "Hello from Lambda")
        #expect(event["pathParameters"] as? [String: String] == ["parameter1": "value1"])
        #expect(event["isBase64Encoded"] as? Bool == false)
        #expect(event["stageVariables"] as? [String: String] == ["stageVariable1": "value1", "stageVariable2": "value2"])
        let context = try #require(event["requestContext"] as? [String: Any])
        #expect(
            Set(context.keys) == ["accountId", "apiId", "domainName", "domainPrefix", "http", "requestId", "routeKey", "stage", "time", "timeEpoch"])
        #expect(
            context["http"] as? [String: String] == [
                "method": "GET", "path": "/my/path", "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1", "userAgent": "agent",
            ])
        #expect(context["time"] as? String == "04/Mar/2020:19:15:17 +0000")
        #expect(context["timeEpoch"] as? Int == 1_583_349_317_135)
    }

    /// Fact 9: absent parts are omitted in 2.0, not null.
    @Test func payload2OmitsAbsentParts() throws {
        let request = Self.request(uri: "/", headers: [], path: "/", contextPath: "/", query: "", routeKey: "$default", pathParameters: [])
        let event = try Self.json { LambdaProxyEvent.writeV2(request, into: &$0) }
        for absent in ["body", "queryStringParameters", "pathParameters", "stageVariables", "cookies"] {
            #expect(event[absent] == nil, "\(absent)")
        }
        #expect(event["rawQueryString"] as? String == "")
        #expect(event["headers"] as? [String: String] == [:])
    }

    /// Fact 3: REST path parameters stay percent-encoded; a greedy one keeps double slashes and
    /// loses one trailing slash.
    @Test func restPathParametersAreRaw() {
        func raw(_ resource: String, _ path: Substring) -> [String]? {
            LambdaProxyRequest.rawPathParameters(resourcePath: resource, path: path)?.map { "\($0.name)=\($0.value)" }
        }
        #expect(raw("/{proxy+}", "/proxy-value/") == ["proxy=proxy-value"])
        #expect(raw("/{proxy+}", "/proxy-value//double-slash") == ["proxy=proxy-value//double-slash"])
        #expect(
            raw("/{proxy+}", "/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com")
                == ["proxy=proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com"])
        #expect(raw("/users/{id}/files/{path+}", "/users/a%20b/files/x/y") == ["id=a%20b", "path=x/y"])
        #expect(raw("/users/{id}", "/accounts/7") == nil)
        #expect(raw("/", "/") == [])
    }

    @Test func httpApiTextContentTypes() {
        #expect(LambdaProxyEvent.isTextForHttpApi(contentType: "application/json; charset=utf-8"))
        #expect(LambdaProxyEvent.isTextForHttpApi(contentType: "text/plain"))
        #expect(LambdaProxyEvent.isTextForHttpApi(contentType: "application/xml"))
        #expect(!LambdaProxyEvent.isTextForHttpApi(contentType: "application/vnd.api+json"))
        #expect(!LambdaProxyEvent.isTextForHttpApi(contentType: "application/octet-stream"))
        #expect(!LambdaProxyEvent.isTextForHttpApi(contentType: "application/x-www-form-urlencoded"))
        #expect(!LambdaProxyEvent.isTextForHttpApi(contentType: nil))
    }
}
