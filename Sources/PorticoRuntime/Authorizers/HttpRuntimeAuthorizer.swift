public import PorticoModel

/// An HTTP API Lambda (`REQUEST`) authorizer compiled once per stage deployment (AWS: "Working with
/// AWS Lambda authorizers for HTTP APIs"): the function, the payload format version, whether
/// simple responses are enabled, the identity sources (all required; they form the cache key) and
/// the result cache.
public final class HttpRuntimeAuthorizer: Sendable {
    public let id: String
    /// nil when the URI names no Lambda function: requests through it answer 500.
    public let target: LambdaTarget?
    public let version: LambdaPayloadVersion
    public let simpleResponses: Bool
    public let sources: [HttpIdentitySource]
    public let cache: AuthorizerResultCache<HttpAuthorizerResult>
    /// How long the gateway waits for the function (AWS quota: 10 s for HTTP API authorizers).
    public let timeoutMillis = 10_000

    /// - Parameter webSocket: a WebSocket API's authorizer: identity sources in the
    ///   `route.request.header.X` syntax, answers as IAM policies (no simple responses).
    public init(_ authorizer: Authorizer, variables: [String: String], warnings: inout [String], webSocket: Bool = false) {
        id = authorizer.authorizerId
        do {
            target = try LambdaTarget(uri: DeploymentCompiler.substituteStageVariables(authorizer.authorizerUri ?? "", variables))
        } catch {
            warnings.append("authorizer \(authorizer.name): \(error.message); requests through it answer 500")
            target = nil
        }
        version = authorizer.authorizerPayloadFormatVersion == "1.0" ? .v1 : .v2
        simpleResponses = authorizer.enableSimpleResponses == true && version == .v2 && !webSocket
        sources = (authorizer.identitySource ?? []).compactMap {
            webSocket ? HttpIdentitySource(webSocketExpression: $0) : HttpIdentitySource(expression: $0)
        }
        cache = AuthorizerResultCache(ttlSeconds: authorizer.authorizerResultTtlInSeconds ?? 0)
    }
}

/// What an HTTP API Lambda authorizer answered, as cached.
public enum HttpAuthorizerResult: Sendable, Equatable {
    /// Simple response (payload 2.0): `{"isAuthorized": bool, "context": {...}}`.
    case simple(isAuthorized: Bool, context: [String: JSONValue])
    /// An IAM policy, evaluated against each request's route ARN.
    case policy(AuthorizerPolicy)

    /// Reads the function's output in the authorizer's format; nil when it is malformed (500).
    public static func parse(_ output: JSONValue?, simple: Bool) -> HttpAuthorizerResult? {
        if simple {
            guard case .object(let members) = output, case .bool(let allowed)? = members["isAuthorized"] else { return nil }
            var context: [String: JSONValue] = [:]
            if case .object(let values)? = members["context"] { context = values }
            return .simple(isAuthorized: allowed, context: context)
        }
        guard case .success(let policy) = AuthorizerPolicy.parse(output) else { return nil }
        return .policy(policy)
    }
}
