import NIOHTTP1
import PorticoModel
import PorticoRuntime

/// The values a parameter mapping can refer to for one request (`$request.*`, `$response.*`,
/// `$context.*`, `$stageVariables.*`). Built only for routes that have mappings.
struct MappingContext: MappingInput {
    let request: HTTPRequestHead
    let query: Substring
    let pathParameters: [(name: String, value: String)]
    let stagePath: Substring
    let stage: RuntimeStage
    let routeKey: String
    let requestId: String
    let sourceIp: String
    let domainName: String
    let accountId: String
    var response: HTTPResponseHead?
    var requestJSON: JSONValue?
    var responseJSON: JSONValue?
    /// What the route's authorizer passed on, for `$context.authorizer.*`.
    var authorization: HttpAuthorization?

    func requestHeader(_ lowercasedName: String) -> [String] { request.headers[lowercasedName] }

    func requestQuery(_ name: String) -> [String] {
        ProxyRequest.parseQuery(query).compactMap { $0.0 == name ? $0.1 : nil }
    }

    func requestPathParameter(_ name: String) -> String? {
        pathParameters.first { $0.name == name }?.value
    }

    var requestPath: String { String(stagePath) }

    /// `$request.body.*`: the data plane buffers and parses the body only for routes whose
    /// mappings refer to it.
    func requestBody(_ path: JSONBodyPath) -> String? { path.text(in: requestJSON) }

    func responseHeader(_ lowercasedName: String) -> [String] { response?.headers[lowercasedName] ?? [] }

    func responseBody(_ path: JSONBodyPath) -> String? { path.text(in: responseJSON) }

    func stageVariable(_ name: String) -> String? { stage.stageVariables[name] }

    func context(_ name: String) -> String? {
        switch name {
        case "requestId", "extendedRequestId": requestId
        case "apiId": stage.apiId
        case "stage": stage.name
        case "routeKey": routeKey
        case "httpMethod": request.method.rawValue
        case "path": stage.contextPath(stagePath)
        case "domainName": domainName
        case "domainPrefix": RuntimeStage.domainPrefix(domainName)
        case "identity.sourceIp": sourceIp
        case "identity.userAgent": request.headers.first(name: "user-agent")
        case "accountId": accountId
        case "protocol": "HTTP/\(request.version.major).\(request.version.minor)"
        case "deploymentId": stage.deploymentId
        default: authorizerValue(name)
        }
    }

    /// `$context.authorizer.claims.X` (JWT authorizers) and `$context.authorizer.X` (a Lambda
    /// authorizer's context values, and `principalId`).
    private func authorizerValue(_ name: String) -> String? {
        guard name.hasPrefix("authorizer."), let authorization else { return nil }
        let member = name.dropFirst("authorizer.".count)
        if let jwt = authorization.jwt {
            guard member.hasPrefix("claims.") else { return nil }
            return jwt.claim(String(member.dropFirst("claims.".count)))
        }
        if member == "principalId" { return authorization.principalId }
        return authorization.context[String(member)].map(JwtClaims.text)
    }
}
