import Foundation
import PorticoModel
import Testing

@testable import PorticoRuntime

/// Lambda authorizer output: parsing (what AWS refuses with AUTHORIZER_CONFIGURATION_ERROR) and
/// IAM evaluation against method ARNs (wildcards, explicit Deny wins, implicit deny).
struct AuthorizerPolicyTests {
    static let arn = "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/pets/7"

    static func output(_ statements: JSONValue, context: JSONValue? = nil) -> JSONValue {
        var members: [String: JSONValue] = [
            "principalId": .string("user-1"),
            "policyDocument": .object(["Version": .string("2012-10-17"), "Statement": statements]),
        ]
        if let context { members["context"] = context }
        return .object(members)
    }

    static func statement(_ effect: String, _ resource: JSONValue, action: JSONValue = .string("execute-api:Invoke")) -> JSONValue {
        .object(["Effect": .string(effect), "Action": action, "Resource": resource])
    }

    static func policy(_ statements: JSONValue) throws -> AuthorizerPolicy {
        try AuthorizerPolicy.parse(output(statements)).get()
    }

    @Test func exactAllowAllowsOnlyThatArn() throws {
        let policy = try Self.policy(.array([Self.statement("Allow", .string(Self.arn))]))
        #expect(policy.principalId == "user-1")
        #expect(policy.decision(methodArn: Self.arn) == .allow)
        #expect(policy.decision(methodArn: Self.arn + "/more") == .implicitDeny)
        #expect(policy.decision(methodArn: Self.arn.replacingOccurrences(of: "GET", with: "POST")) == .implicitDeny)
    }

    @Test func wildcardsMatchAcrossSegmentsAndSingleCharacters() throws {
        let policy = try Self.policy(
            .array([Self.statement("Allow", .array([.string("arn:aws:execute-api:us-east-1:000000000000:abc123/*/GET/pets/?")]))]))
        #expect(policy.decision(methodArn: Self.arn) == .allow)
        #expect(policy.decision(methodArn: "arn:aws:execute-api:us-east-1:000000000000:abc123/dev/GET/pets/7") == .allow)
        #expect(policy.decision(methodArn: "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/pets/77") == .implicitDeny)
        let everything = try Self.policy(Self.statement("Allow", .string("*"), action: .string("execute-api:*")))
        #expect(everything.decision(methodArn: Self.arn) == .allow)
        let star = try Self.policy(Self.statement("Allow", .string("arn:aws:execute-api:*:*:abc123/prod/*")))
        #expect(star.decision(methodArn: Self.arn) == .allow)
    }

    @Test func explicitDenyWinsOverAllow() throws {
        let policy = try Self.policy(
            .array([Self.statement("Allow", .string("*")), Self.statement("Deny", .string("arn:aws:execute-api:*:*:abc123/prod/GET/pets/*"))]))
        #expect(policy.decision(methodArn: Self.arn) == .explicitDeny)
        #expect(policy.decision(methodArn: "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/POST/pets/7") == .allow)
    }

    @Test func otherActionsDoNotApply() throws {
        let policy = try Self.policy(.array([Self.statement("Allow", .string("*"), action: .string("s3:GetObject"))]))
        #expect(policy.decision(methodArn: Self.arn) == .implicitDeny)
        let caseless = try Self.policy(.array([Self.statement("Allow", .string("*"), action: .string("Execute-Api:invoke"))]))
        #expect(caseless.decision(methodArn: Self.arn) == .allow)
    }

    static func notStatement(_ effect: String, _ members: [String: JSONValue]) -> JSONValue {
        var statement = members
        statement["Effect"] = .string(effect)
        return .object(statement)
    }

    static let getPets = "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/pets/*"
    static let postArn = "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/POST/pets/7"

    @Test func notResourceAllowsEverythingButTheListedResources() throws {
        let policy = try Self.policy(
            Self.notStatement("Allow", ["Action": .string("execute-api:Invoke"), "NotResource": .string(Self.getPets)]))
        #expect(policy.decision(methodArn: Self.arn) == .implicitDeny)
        #expect(policy.decision(methodArn: Self.postArn) == .allow)
    }

    @Test func denyWithNotResourceDeniesEverythingElse() throws {
        // "Allow everything, deny all but GET /pets/*": one cacheable policy for many methods.
        let policy = try Self.policy(
            .array([
                Self.statement("Allow", .string("*")),
                Self.notStatement("Deny", ["Action": .string("execute-api:Invoke"), "NotResource": .array([.string(Self.getPets)])]),
            ]))
        #expect(policy.decision(methodArn: Self.arn) == .allow)
        #expect(policy.decision(methodArn: Self.postArn) == .explicitDeny)
    }

    @Test func notActionAppliesToEveryOtherAction() throws {
        // Allow with NotAction of an unrelated action covers execute-api:Invoke.
        let allowOthers = try Self.policy(Self.notStatement("Allow", ["NotAction": .string("s3:*"), "Resource": .string("*")]))
        #expect(allowOthers.decision(methodArn: Self.arn) == .allow)
        // NotAction naming Invoke (any case, or by wildcard) leaves it out.
        let allowButInvoke = try Self.policy(
            Self.notStatement("Allow", ["NotAction": .array([.string("EXECUTE-API:*")]), "Resource": .string("*")]))
        #expect(allowButInvoke.decision(methodArn: Self.arn) == .implicitDeny)
        let denyOthers = try Self.policy(
            .array([
                Self.statement("Allow", .string("*")),
                Self.notStatement("Deny", ["NotAction": .string("s3:GetObject"), "Resource": .string(Self.getPets)]),
            ]))
        #expect(denyOthers.decision(methodArn: Self.arn) == .explicitDeny)
        #expect(denyOthers.decision(methodArn: Self.postArn) == .allow)
    }

    @Test func notActionWithNotResource() throws {
        let policy = try Self.policy(Self.notStatement("Allow", ["NotAction": .string("s3:*"), "NotResource": .string(Self.getPets)]))
        #expect(policy.decision(methodArn: Self.arn) == .implicitDeny)
        #expect(policy.decision(methodArn: Self.postArn) == .allow)
    }

    @Test func bothElementsOfAPairAreRefused() {
        let both = Self.notStatement("Allow", ["Action": .string("execute-api:Invoke"), "NotAction": .string("s3:*"), "Resource": .string("*")])
        #expect((try? AuthorizerPolicy.parse(Self.output(.array([both]))).get()) == nil)
        let bothResources = Self.notStatement(
            "Allow", ["Action": .string("execute-api:Invoke"), "Resource": .string("*"), "NotResource": .string(Self.getPets)])
        #expect((try? AuthorizerPolicy.parse(Self.output(.array([bothResources]))).get()) == nil)
        let emptyNot = Self.notStatement("Allow", ["Action": .string("execute-api:Invoke"), "NotResource": .array([])])
        #expect((try? AuthorizerPolicy.parse(Self.output(.array([emptyNot]))).get()) == nil)
        let noResource = Self.notStatement("Allow", ["NotAction": .string("s3:*")])
        #expect((try? AuthorizerPolicy.parse(Self.output(.array([noResource]))).get()) == nil)
    }

    @Test func malformedOutputsAreRefused() {
        let allow = Self.statement("Allow", .string("*"))
        #expect((try? AuthorizerPolicy.parse(nil).get()) == nil)
        #expect((try? AuthorizerPolicy.parse(.string("allow")).get()) == nil)
        #expect((try? AuthorizerPolicy.parse(.object(["policyDocument": .object(["Statement": .array([allow])])])).get()) == nil)
        #expect((try? AuthorizerPolicy.parse(.object(["principalId": .string("u")])).get()) == nil)
        #expect((try? AuthorizerPolicy.parse(Self.output(.array([Self.statement("allow", .string("*"))]))).get()) == nil)
        #expect((try? AuthorizerPolicy.parse(Self.output(.array([.object(["Effect": .string("Allow")])]))).get()) == nil)
        // REST context values must be string, number or boolean.
        #expect((try? AuthorizerPolicy.parse(Self.output(.array([allow]), context: .object(["nested": .object([:])]))).get()) == nil)
        #expect((try? AuthorizerPolicy.parse(Self.output(.array([allow]), context: .object(["list": .array([])]))).get()) == nil)
    }

    @Test func contextKeepsScalarValues() throws {
        let policy = try AuthorizerPolicy.parse(
            Self.output(
                .array([Self.statement("Allow", .string("*"))]),
                context: .object(["name": .string("ann"), "level": .integer(3), "admin": .bool(true)]))
        ).get()
        #expect(policy.context["name"] == .string("ann"))
        #expect(policy.context["level"] == .integer(3))
        #expect(policy.context["admin"] == .bool(true))
    }

    @Test func cacheHonoursTheTtl() throws {
        let policy = try Self.policy(Self.statement("Allow", .string("*")))
        let cache = AuthorizerResultCache<AuthorizerPolicy>(ttlSeconds: 5)
        let start = ContinuousClock.now
        cache.store(policy, for: "token", now: start)
        #expect(cache.value(for: "token", now: start + .seconds(4)) == policy)
        #expect(cache.value(for: "other", now: start) == nil)
        #expect(cache.value(for: "token", now: start + .seconds(5)) == nil)
        // Keys keep lists apart even when a value holds what a separator would be.
        #expect(AuthorizerResultCache<AuthorizerPolicy>.key(["a,b", "c"]) != AuthorizerResultCache<AuthorizerPolicy>.key(["a", "b,c"]))
        #expect(AuthorizerResultCache<AuthorizerPolicy>.key(["a\u{1F}b", "c"]) != AuthorizerResultCache<AuthorizerPolicy>.key(["a", "b\u{1F}c"]))
        #expect(AuthorizerResultCache<AuthorizerPolicy>.key([]) == nil)
        let disabled = AuthorizerResultCache<AuthorizerPolicy>(ttlSeconds: 0)
        disabled.store(policy, for: "token", now: start)
        #expect(disabled.value(for: "token", now: start) == nil)
    }

    @Test func identitySourcesParse() {
        #expect(RestAuthorizerSource(expression: "method.request.header.Authorization") == .header("Authorization"))
        #expect(RestAuthorizerSource(expression: "method.request.querystring.token") == .queryString("token"))
        #expect(RestAuthorizerSource(expression: "stageVariables.key") == .stageVariable("key"))
        #expect(RestAuthorizerSource(expression: "context.identity.sourceIp") == .context("identity.sourceIp"))
        #expect(RestAuthorizerSource(expression: "method.request.path.id") == nil)
        #expect(RestAuthorizerSource(expression: "method.request.header.") == nil)
        #expect(RestAuthorizerSource.list("method.request.header.A, method.request.querystring.b") == [.header("A"), .queryString("b")])
        #expect(RestAuthorizerSource.list("method.request.header.A,bogus") == nil)
    }
}

/// HTTP API authorizer answers: simple responses (payload 2.0) and IAM policies.
struct HttpAuthorizerResultTests {
    @Test func simpleResponsesNeedABooleanIsAuthorized() {
        #expect(
            HttpAuthorizerResult.parse(.object(["isAuthorized": .bool(true), "context": .object(["u": .string("a")])]), simple: true)
                == .simple(isAuthorized: true, context: ["u": .string("a")]))
        #expect(HttpAuthorizerResult.parse(.object(["isAuthorized": .bool(false)]), simple: true) == .simple(isAuthorized: false, context: [:]))
        #expect(HttpAuthorizerResult.parse(.object(["isAuthorized": .string("true")]), simple: true) == nil)
        #expect(HttpAuthorizerResult.parse(nil, simple: true) == nil)
    }

    @Test func withoutSimpleResponsesAPolicyIsRequired() {
        #expect(HttpAuthorizerResult.parse(.object(["isAuthorized": .bool(true)]), simple: false) == nil)
        let policy = AuthorizerPolicyTests.output(.array([AuthorizerPolicyTests.statement("Allow", .string("*"))]))
        guard case .policy(let parsed)? = HttpAuthorizerResult.parse(policy, simple: false) else {
            Issue.record("a policy was expected")
            return
        }
        #expect(parsed.decision(methodArn: AuthorizerPolicyTests.arn) == .allow)
    }

    @Test func identitySourcesParse() {
        #expect(HttpIdentitySource(expression: "$request.header.Authorization") == .header("Authorization"))
        #expect(HttpIdentitySource(expression: "$request.querystring.k") == .queryString("k"))
        #expect(HttpIdentitySource(expression: "$context.requestId") == .context("requestId"))
        #expect(HttpIdentitySource(expression: "$stageVariables.v") == .stageVariable("v"))
        #expect(HttpIdentitySource(expression: "method.request.header.Authorization") == nil)
        #expect(HttpIdentitySource(expression: "$request.header.") == nil)
    }

    /// WebSocket authorizers name their sources as `route.request.header.X` (AWS CLI reference).
    @Test func webSocketIdentitySourcesParse() {
        #expect(HttpIdentitySource(webSocketExpression: "route.request.header.Auth") == .header("Auth"))
        #expect(HttpIdentitySource(webSocketExpression: "route.request.querystring.token") == .queryString("token"))
        #expect(HttpIdentitySource(webSocketExpression: "context.connectionId") == .context("connectionId"))
        #expect(HttpIdentitySource(webSocketExpression: "stageVariables.v") == .stageVariable("v"))
        #expect(HttpIdentitySource(webSocketExpression: "$request.header.Auth") == nil)
        #expect(HttpIdentitySource(webSocketExpression: "route.request.header.") == nil)
    }

    /// A WebSocket authorizer reads only WebSocket-syntax sources and never simple responses.
    @Test func webSocketAuthorizerCompiles() {
        var warnings: [String] = []
        var definition = Authorizer(authorizerId: "a1", authorizerType: "REQUEST", name: "ws")
        definition.authorizerUri = "arn:aws:lambda:us-east-1:000000000000:function:auth"
        definition.enableSimpleResponses = true
        definition.authorizerPayloadFormatVersion = "2.0"
        definition.identitySource = ["route.request.header.Auth", "route.request.querystring.t"]
        let compiled = HttpRuntimeAuthorizer(definition, variables: [:], warnings: &warnings, webSocket: true)
        #expect(compiled.sources == [.header("Auth"), .queryString("t")])
        #expect(!compiled.simpleResponses)
        #expect(compiled.target?.functionName == "arn:aws:lambda:us-east-1:000000000000:function:auth")
    }
}
