import Foundation
import NIOCore
import NIOHTTP1
import PorticoObservability
import PorticoRuntime

/// Writes Lambda proxy events as API Gateway sends them, member for member and in AWS's order.
///
/// - Payload 1.0 (REST `AWS_PROXY`, and HTTP APIs with `payloadFormatVersion: 1.0`):
///   AWS_FACTS facts 2–3. Header names keep the client's casing; `headers` holds the last value
///   of a repeated header and `multiValueHeaders` all of them; `queryStringParameters` the last
///   value of a repeated name (fact 3); absent parts are `null`, not `{}`. HTTP APIs add
///   `"version": "1.0"` and `requestContext.authorizer` (AWS's 1.0 example).
/// - Payload 2.0 (HTTP APIs): fact 9 and AWS's "Create AWS Lambda proxy integrations for HTTP
///   APIs": names lower-cased, repeated headers and query values joined with commas, `cookies`
///   from the `Cookie` header(s), and absent parts **omitted** rather than `null`.
enum LambdaProxyEvent {
    static func writeV1(_ request: LambdaProxyRequest, isHttpApi: Bool, into buffer: inout ByteBuffer) {
        var json = JSONBytes(buffer: buffer)
        defer { buffer = json.buffer }
        json.beginObject()
        if isHttpApi { json.member("version", "1.0") }
        writeV1Request(request, isHttpApi: isHttpApi, into: &json)
        json.key("body")
        writeBody(request, into: &json)
        json.key("isBase64Encoded")
        json.bool(request.bodyIsBinary && !request.body.isEmpty)
        json.endObject()
    }

    /// A REST `REQUEST` authorizer's event (AWS: "Input to an API Gateway Lambda authorizer"):
    /// `type`, `methodArn`, then the proxy event's request members without the body.
    static func writeAuthorizerRequest(_ request: LambdaProxyRequest, methodArn: String, into buffer: inout ByteBuffer) {
        var json = JSONBytes(buffer: buffer)
        defer { buffer = json.buffer }
        json.beginObject()
        json.member("type", "REQUEST")
        json.member("methodArn", methodArn)
        writeV1Request(request, isHttpApi: false, into: &json)
        json.endObject()
    }

    /// From `resource` to `requestContext`, shared by the 1.0 proxy event and the REQUEST
    /// authorizer event.
    private static func writeV1Request(_ request: LambdaProxyRequest, isHttpApi: Bool, into json: inout JSONBytes) {
        let headers = groupedHeaders(request.head.headers, lowercased: false)
        let query = groupedQuery(request.rawQuery)
        json.member("resource", request.resource)
        json.member("path", request.path)
        json.member("httpMethod", request.head.method.rawValue)
        writeValueGroups(headers, single: "headers", multi: "multiValueHeaders", nullWhenEmpty: true, into: &json)
        writeValueGroups(query, single: "queryStringParameters", multi: "multiValueQueryStringParameters", nullWhenEmpty: true, into: &json)
        json.key("pathParameters")
        writePathParameters(request.pathParameters, nullWhenEmpty: true, into: &json)
        json.key("stageVariables")
        writeStageVariables(request.stageVariables, into: &json)
        json.key("requestContext")
        writeV1Context(request, isHttpApi: isHttpApi, into: &json)
    }

    private static func writeV1Context(_ request: LambdaProxyRequest, isHttpApi: Bool, into json: inout JSONBytes) {
        let context = request.context
        json.beginObject()
        json.member("accountId", context.accountId)
        json.member("apiId", context.apiId)
        if isHttpApi, let jwt = context.httpAuthorizer?.jwt {
            // HTTP API 1.0 with a JWT authorizer: `authorizer.claims` (each as a string) and `scopes`.
            json.key("authorizer")
            json.beginObject()
            writeJwt(jwt, into: &json)
            json.endObject()
        } else if isHttpApi, let authorizer = context.httpAuthorizer {
            // HTTP API 1.0 with a Lambda authorizer: as REST passes it on, but with the context's
            // values as the function returned them.
            json.key("authorizer")
            json.beginObject()
            if let principalId = authorizer.principalId { json.member("principalId", principalId) }
            for (key, value) in authorizer.sortedContext
            where key != "integrationLatency" && !(key == "principalId" && authorizer.principalId != nil) {
                json.key(key)
                json.value(value)
            }
            json.key("integrationLatency")
            json.integer(authorizer.latencyMillis)
            json.endObject()
        } else if isHttpApi {
            json.key("authorizer")
            json.beginObject()
            json.key("claims")
            json.null()
            json.key("scopes")
            json.null()
            json.endObject()
        } else if let claims = context.authorizer?.claims {
            // REST with a Cognito user pool authorizer: `authorizer.claims`, each as a string.
            json.key("authorizer")
            json.beginObject()
            json.key("claims")
            json.beginObject()
            for (name, value) in claims { json.member(name, value) }
            json.endObject()
            json.endObject()
        } else if let authorizer = context.authorizer {
            // REST with a Lambda authorizer: `principalId`, the context values (as strings, as
            // AWS passes them on) and the authorizer's latency.
            json.key("authorizer")
            json.beginObject()
            json.member("principalId", authorizer.principalId)
            for (key, value) in authorizer.values where key != "principalId" && key != "integrationLatency" {
                json.member(key, value)
            }
            json.key("integrationLatency")
            json.integer(authorizer.latencyMillis)
            json.endObject()
        }
        if let deploymentId = context.deploymentId { json.member("deploymentId", deploymentId) }
        json.member("domainName", context.domainName)
        json.member("domainPrefix", LambdaProxyRequest.domainPrefix(context.domainName))
        json.member("extendedRequestId", context.extendedRequestId)
        json.member("httpMethod", request.head.method.rawValue)
        json.key("identity")
        json.beginObject()
        // Fact 2: every identity member is present; those Portico cannot know (no Cognito
        // callers) are null, and so are the IAM ones when the request was not signed by an IAM user.
        let iam = context.iam
        json.member("accessKey", iam?.accessKeyId)
        json.member("accountId", iam?.accountId)
        json.member("caller", iam?.userId)
        for name in ["cognitoAuthenticationProvider", "cognitoAuthenticationType", "cognitoIdentityId", "cognitoIdentityPoolId",
            "principalOrgId"]
        {
            json.key(name)
            json.null()
        }
        json.member("sourceIp", context.sourceIp)
        json.member("user", iam?.userId)
        json.member("userAgent", request.head.headers.first(name: "user-agent"))
        json.member("userArn", iam?.userArn)
        json.endObject()
        json.member("path", request.contextPath)
        json.member("protocol", request.protocolName)
        json.member("requestId", context.requestId)
        json.member("requestTime", CommonLogTime.string(epochMillis: context.requestTimeEpochMillis))
        json.key("requestTimeEpoch")
        json.integer(context.requestTimeEpochMillis)
        json.member("resourceId", context.resourceId)
        json.member("resourcePath", context.resourcePath)
        json.member("stage", context.stage)
        json.endObject()
    }

    static func writeV2(_ request: LambdaProxyRequest, into buffer: inout ByteBuffer) {
        var json = JSONBytes(buffer: buffer)
        defer { buffer = json.buffer }
        let context = request.context
        var cookies: [Substring] = []
        var headers: [(String, [String])] = []
        for (name, values) in groupedHeaders(request.head.headers, lowercased: true) {
            if name == "cookie" {
                // "All cookie headers in the request are combined with commas and added to the
                // cookies field": one element per cookie.
                for value in values {
                    for cookie in value.split(separator: ";") {
                        let trimmed = cookie.trimmingSpaces()
                        if !trimmed.isEmpty { cookies.append(trimmed) }
                    }
                }
            } else {
                headers.append((name, values))
            }
        }
        json.beginObject()
        json.member("version", "2.0")
        json.member("routeKey", request.routeKey)
        json.member("rawPath", request.path)
        json.key("rawQueryString")
        json.string(request.rawQuery)
        if !cookies.isEmpty {
            json.key("cookies")
            json.beginArray()
            for cookie in cookies { json.string(cookie) }
            json.endArray()
        }
        json.key("headers")
        json.beginObject()
        for (name, values) in headers { json.member(name, values.joined(separator: ",")) }
        json.endObject()
        let query = groupedQuery(request.rawQuery)
        if !query.isEmpty {
            json.key("queryStringParameters")
            json.beginObject()
            for (name, values) in query { json.member(name, values.joined(separator: ",")) }
            json.endObject()
        }
        json.key("requestContext")
        json.beginObject()
        json.member("accountId", context.accountId)
        json.member("apiId", context.apiId)
        if let jwt = context.httpAuthorizer?.jwt {
            // A JWT authorizer's claims and scopes under `authorizer.jwt` (AWS's 2.0 event format).
            json.key("authorizer")
            json.beginObject()
            json.key("jwt")
            json.beginObject()
            writeJwt(jwt, into: &json)
            json.endObject()
            json.endObject()
        } else if let iam = context.iam {
            // An IAM-signed request: AWS's 2.0 event names the caller under `authorizer.iam`.
            json.key("authorizer")
            json.beginObject()
            json.key("iam")
            json.beginObject()
            json.member("accessKey", iam.accessKeyId)
            json.member("accountId", iam.accountId)
            json.member("callerId", iam.userId)
            json.key("cognitoIdentity")
            json.null()
            json.key("principalOrgId")
            json.null()
            json.member("userArn", iam.userArn)
            json.member("userId", iam.userId)
            json.endObject()
            json.endObject()
        } else if let authorizer = context.httpAuthorizer {
            // A Lambda authorizer's `context` under `authorizer.lambda` (AWS's 2.0 event format).
            json.key("authorizer")
            json.beginObject()
            json.key("lambda")
            json.beginObject()
            for (key, value) in authorizer.sortedContext {
                json.key(key)
                json.value(value)
            }
            json.endObject()
            json.endObject()
        }
        json.member("domainName", context.domainName)
        json.member("domainPrefix", LambdaProxyRequest.domainPrefix(context.domainName))
        json.key("http")
        json.beginObject()
        json.member("method", request.head.method.rawValue)
        json.member("path", request.contextPath)
        json.member("protocol", request.protocolName)
        json.member("sourceIp", context.sourceIp)
        json.member("userAgent", request.head.headers.first(name: "user-agent") ?? "")
        json.endObject()
        json.member("requestId", context.requestId)
        json.member("routeKey", request.routeKey)
        json.member("stage", context.stage)
        json.member("time", CommonLogTime.string(epochMillis: context.requestTimeEpochMillis))
        json.key("timeEpoch")
        json.integer(context.requestTimeEpochMillis)
        json.endObject()
        if !request.body.isEmpty {
            json.key("body")
            writeBody(request, into: &json)
        }
        if !request.pathParameters.isEmpty {
            json.key("pathParameters")
            writePathParameters(request.pathParameters, nullWhenEmpty: false, into: &json)
        }
        json.key("isBase64Encoded")
        json.bool(request.bodyIsBinary && !request.body.isEmpty)
        if !request.stageVariables.isEmpty {
            json.key("stageVariables")
            writeStageVariables(request.stageVariables, into: &json)
        }
        json.endObject()
    }

    // MARK: parts

    /// Headers grouped by name (case-insensitively, in first-seen order), each with its values.
    static func groupedHeaders(_ headers: HTTPHeaders, lowercased: Bool) -> [(String, [String])] {
        var groups: [(String, [String])] = []
        groups.reserveCapacity(headers.count)
        for (name, value) in headers {
            if let index = groups.firstIndex(where: { HeaderName.equal(name[...], $0.0) }) {
                groups[index].1.append(value)
            } else {
                groups.append((lowercased ? name.lowercased() : name, [value]))
            }
        }
        return groups
    }

    /// Query parameters, percent-decoded, grouped by name in first-seen order.
    static func groupedQuery(_ rawQuery: Substring) -> [(String, [String])] {
        guard !rawQuery.isEmpty else { return [] }
        var groups: [(String, [String])] = []
        for (name, value) in ProxyRequest.parseQuery(rawQuery) {
            if let index = groups.firstIndex(where: { $0.0 == name }) {
                groups[index].1.append(value)
            } else {
                groups.append((name, [value]))
            }
        }
        return groups
    }

    /// Two members from grouped values, as payload 1.0 and WebSocket events write headers and query
    /// strings: `single` maps each name to its last value, `multi` to all of them. With
    /// `nullWhenEmpty`, no values write `null` for both (payload 1.0); else empty objects.
    static func writeValueGroups(
        _ groups: [(String, [String])], single: String, multi: String, nullWhenEmpty: Bool, into json: inout JSONBytes
    ) {
        json.key(single)
        if groups.isEmpty && nullWhenEmpty {
            json.null()
        } else {
            json.beginObject()
            for (name, values) in groups { json.member(name, values[values.count - 1]) }
            json.endObject()
        }
        json.key(multi)
        if groups.isEmpty && nullWhenEmpty {
            json.null()
            return
        }
        json.beginObject()
        for (name, values) in groups {
            json.key(name)
            json.beginArray()
            for value in values { json.string(value) }
            json.endArray()
        }
        json.endObject()
    }

    private static func writePathParameters(_ parameters: [(name: String, value: String)], nullWhenEmpty: Bool, into json: inout JSONBytes) {
        guard !parameters.isEmpty else {
            if nullWhenEmpty { json.null() } else {
                json.beginObject()
                json.endObject()
            }
            return
        }
        json.beginObject()
        for (name, value) in parameters { json.member(name, value) }
        json.endObject()
    }

    private static func writeStageVariables(_ variables: [String: String], into json: inout JSONBytes) {
        guard !variables.isEmpty else {
            json.null()
            return
        }
        json.beginObject()
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) { json.member(name, value) }
        json.endObject()
    }

    /// The body as a JSON string: base64 for a binary payload, else its text; `null` when empty
    /// (fact 2: "`body` is `null` for GET").
    private static func writeBody(_ request: LambdaProxyRequest, into json: inout JSONBytes) {
        if request.body.isEmpty {
            json.null()
        } else if request.bodyIsBinary {
            json.string(Data(request.body).base64EncodedString())
        } else if String(validating: request.body, as: UTF8.self) != nil {
            json.string(bytes: request.body)
        } else {
            // Bytes that are not UTF-8 cannot travel in a JSON string; AWS has no text form for
            // them either. Replacement characters keep the event valid JSON.
            json.string(String(decoding: request.body, as: UTF8.self))
        }
    }

    // MARK: binary detection

    /// HTTP APIs have no `binaryMediaTypes`: AWS base64-encodes any body whose content type is not
    /// text. AWS does not list the text types; the split observed on real AWS (HTTP API, payload
    /// 2.0, recorded in ministack's PR #766) is `text/*`, `application/json`, `application/xml` and
    /// `application/javascript` as text, and everything else — a form post, a missing
    /// `Content-Type`, `+json` types — base64-encoded.
    static func isTextForHttpApi(contentType: String?) -> Bool {
        guard let contentType else { return false }
        let media = RestMediaType.of(contentType)
        if media.hasPrefix("text/") { return true }
        return media == "application/json" || media == "application/xml" || media == "application/javascript"
    }

    /// `"claims": {...}, "scopes": [...] | null`, as both HTTP API event versions carry them.
    private static func writeJwt(_ jwt: JwtClaims, into json: inout JSONBytes) {
        json.key("claims")
        json.beginObject()
        for (name, value) in jwt.textClaims { json.member(name, value) }
        json.endObject()
        json.key("scopes")
        if let scopes = jwt.scopes {
            json.beginArray()
            for scope in scopes { json.string(scope) }
            json.endArray()
        } else {
            json.null()
        }
    }
}
