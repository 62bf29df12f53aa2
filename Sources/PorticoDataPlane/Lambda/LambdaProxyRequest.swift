import NIOHTTP1
import PorticoRuntime

/// What a Lambda proxy event is made of, gathered from one request by the HTTP API or the REST
/// pipeline; `LambdaProxyEvent` writes it in the shape of payload 1.0 or 2.0.
struct LambdaProxyRequest {
    /// `requestContext` members that do not come from the request line or headers.
    struct Context {
        var accountId: String
        var apiId: String
        /// REST only (fact 2); HTTP API events have none.
        var deploymentId: String?
        var domainName: String
        var extendedRequestId: String
        /// REST: the UUID of `x-amzn-RequestId`; HTTP APIs: the `apigw-requestid`.
        var requestId: String
        var stage: String
        var requestTimeEpochMillis: Int64
        var sourceIp: String
        /// REST: the resource id; HTTP API 1.0: the route id.
        var resourceId: String?
        var resourcePath: String
        /// REST: what the method's Lambda authorizer allowed, for `requestContext.authorizer`.
        var authorizer: Authorizer? = nil
        /// HTTP APIs: what the route's Lambda authorizer allowed, for `requestContext.authorizer`.
        var httpAuthorizer: HttpAuthorization? = nil
        /// The IAM user that signed an `AWS_IAM` request: REST's `requestContext.identity`,
        /// HTTP API 2.0's `requestContext.authorizer.iam`.
        var iam: IamCredentialTable.Principal? = nil
    }

    /// `requestContext.authorizer` of a REST request a Lambda authorizer allowed.
    struct Authorizer {
        var principalId: String
        /// The authorizer's `context`, values as strings, keys sorted.
        var values: [(String, String)]
        /// How long the authorizer call took (0 when the result came from the cache).
        var latencyMillis: Int64
        /// A Cognito authorizer's claims (as strings): the event then has `authorizer.claims`.
        var claims: [(key: String, value: String)]? = nil
    }

    var head: HTTPRequestHead
    /// The path the event's `path` shows: REST leaves the stage out, HTTP APIs keep it (fact 2;
    /// HTTP API's `rawPath` is the path as requested).
    var path: String
    /// `requestContext.path`: the path as requested, stage included.
    var contextPath: String
    var rawQuery: Substring
    /// REST: the resource path (`/{proxy+}`); HTTP APIs: the route key's path, or `$default`.
    var resource: String
    /// HTTP APIs: `GET /pets/{id}` or `$default`.
    var routeKey: String
    var pathParameters: [(name: String, value: String)]
    var stageVariables: [String: String]
    var context: Context
    var body: [UInt8]
    /// Whether `body` goes base64-encoded, with `isBase64Encoded: true`.
    var bodyIsBinary: Bool

    var protocolName: String { head.version.minor == 0 ? "HTTP/1.0" : "HTTP/1.1" }

    /// The client's headers as the function sees them: API Gateway adds `X-Forwarded-For` (the
    /// client's address appended to any chain it sent), `X-Forwarded-Proto`, `X-Forwarded-Port` and
    /// `X-Amzn-Trace-Id` (the client's, or a new one), as fact 2's recorded event shows.
    static func forwardedHeaders(_ headers: HTTPHeaders, clientAddress: String, port: String?, traceId: String) -> HTTPHeaders {
        var headers = headers
        let chain = headers["x-forwarded-for"]
        headers.remove(name: "x-forwarded-for")
        headers.add(name: "X-Forwarded-For", value: chain.isEmpty ? clientAddress : chain.joined(separator: ", ") + ", " + clientAddress)
        if let port {
            headers.replaceOrAdd(name: "X-Forwarded-Port", value: port)
        }
        headers.replaceOrAdd(name: "X-Forwarded-Proto", value: "http")
        if !headers.contains(name: "x-amzn-trace-id") { headers.add(name: "X-Amzn-Trace-Id", value: traceId) }
        return headers
    }

    /// REST path parameters as the proxy event shows them: **still percent-encoded** (fact 3:
    /// `test%2Balias@gmail.com` stays as it is), a greedy `{name+}` taking the rest of the path
    /// with double slashes kept and one trailing slash dropped (`proxy-value/` → `proxy-value`).
    /// Read off the raw path against the resource's path; nil when they do not line up (the
    /// router's decoded values are used then).
    static func rawPathParameters(resourcePath: String, path: Substring) -> [(name: String, value: String)]? {
        var parameters: [(name: String, value: String)] = []
        var rest = path.utf8.first == UInt8(ascii: "/") ? path.dropFirst() : path
        for part in resourcePath.split(separator: "/") {
            if part.hasPrefix("{"), part.hasSuffix("+}") {
                var value = rest
                if value.utf8.last == UInt8(ascii: "/") { value = value.dropLast() }
                parameters.append((String(part.dropFirst().dropLast(2)), String(value)))
                return parameters
            }
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            let segment = rest[..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
            if part.hasPrefix("{"), part.hasSuffix("}") {
                parameters.append((String(part.dropFirst().dropLast()), String(segment)))
            } else if segment != part {
                return nil
            }
        }
        return parameters
    }

    static func domainPrefix(_ domainName: String) -> String {
        String(domainName.prefix { $0 != "." })
    }
}
