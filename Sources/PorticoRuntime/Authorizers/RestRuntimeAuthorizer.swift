import Foundation
public import PorticoModel

/// A REST Lambda authorizer (`TOKEN` or `REQUEST`) compiled once per stage deployment: the
/// function to call, the identity sources that must be present (and form the cache key), the
/// TOKEN validation expression, and the result cache.
public final class RestRuntimeAuthorizer: Sendable {
    public enum Kind: Sendable {
        case token
        case request
    }

    public let id: String
    public let name: String
    public let kind: Kind
    /// nil when the URI names no Lambda function: every request through it answers 500.
    public let target: LambdaTarget?
    public let sources: [RestAuthorizerSource]
    /// TOKEN only: AWS answers 401 without calling the function when the token does not match
    /// the whole expression.
    let validationExpression: NSRegularExpression?
    public let cache: AuthorizerResultCache<AuthorizerPolicy>
    /// How long the gateway waits for the function (AWS does not document a REST figure; HTTP
    /// APIs wait 10 s, used for both).
    public let timeoutMillis: Int

    init(
        id: String, name: String, kind: Kind, target: LambdaTarget?, sources: [RestAuthorizerSource],
        validationExpression: NSRegularExpression?, ttlSeconds: Int, timeoutMillis: Int = 10_000
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.target = target
        self.sources = sources
        self.validationExpression = validationExpression
        self.cache = AuthorizerResultCache(ttlSeconds: ttlSeconds)
        self.timeoutMillis = timeoutMillis
    }

    /// Compiles a stored authorizer; nil for kinds the data plane does not run (Cognito).
    public convenience init?(_ authorizer: RestAuthorizer, variables: [String: String], warnings: inout [String]) {
        let kind: Kind
        switch authorizer.type {
        case "TOKEN": kind = .token
        case "REQUEST": kind = .request
        default: return nil
        }
        let context = "authorizer \(authorizer.name)"
        var target: LambdaTarget?
        do {
            target = try LambdaTarget(uri: DeploymentCompiler.substituteStageVariables(authorizer.authorizerUri ?? "", variables))
        } catch {
            warnings.append("\(context): \(error.message); requests through it answer 500")
        }
        var sources = RestAuthorizerSource.list(authorizer.identitySource) ?? []
        if kind == .token, sources.isEmpty { sources = [.header("Authorization")] }
        var expression: NSRegularExpression?
        if kind == .token, let pattern = authorizer.identityValidationExpression, !pattern.isEmpty {
            do {
                expression = try NSRegularExpression(pattern: "^(?:" + pattern + ")$")
            } catch {
                warnings.append("\(context): identityValidationExpression does not compile; tokens are not checked against it")
            }
        }
        self.init(
            id: authorizer.id, name: authorizer.name, kind: kind, target: target, sources: sources, validationExpression: expression,
            ttlSeconds: authorizer.authorizerResultTtlInSeconds ?? RestAuthorizer.defaultResultTtl)
    }

    /// Whether `token` satisfies the TOKEN validation expression (always, without one).
    public func accepts(token: String) -> Bool {
        guard let validationExpression else { return true }
        let range = NSRange(token.startIndex..<token.endIndex, in: token)
        return validationExpression.firstMatch(in: token, options: [], range: range) != nil
    }
}
