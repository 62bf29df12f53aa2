import PorticoModel
import Testing

@testable import PorticoRuntime

struct ParameterMappingTests {
    struct Input: MappingInput {
        var headers: [String: [String]] = [:]
        var query: [String: [String]] = [:]
        var path: [String: String] = [:]
        func requestHeader(_ lowercasedName: String) -> [String] { headers[lowercasedName] ?? [] }
        func requestQuery(_ name: String) -> [String] { query[name] ?? [] }
        func requestPathParameter(_ name: String) -> String? { path[name] }
        var requestPath: String { "/p" }
        func requestBody(_ path: JSONBodyPath) -> String? { path.text(in: .object(["a": .array([.integer(1), .string("x")])])) }
        func responseHeader(_ lowercasedName: String) -> [String] { [] }
        func responseBody(_ path: JSONBodyPath) -> String? { nil }
        func context(_ name: String) -> String? { name == "requestId" ? "rid" : nil }
        func stageVariable(_ name: String) -> String? { name == "env" ? "prod" : nil }
    }

    @Test func parsesActionsAndTargets() throws {
        let mapping = try ParameterMapping(parameters: [
            "append:header.x-a": "$request.header.x-in",
            "overwrite:querystring.q": "static",
            "remove:header.x-r": "''",
            "overwrite:path": "/new/$request.path.id",
        ])
        #expect(mapping.operations.count == 4)
        #expect(mapping.operations.contains { $0.action == .remove && $0.target == .header("x-r") })
        #expect(mapping.operations.contains { $0.action == .overwrite && $0.target == .path })
    }

    @Test(arguments: ["header.x", "set:header.x", "append:path", "overwrite:header.", "append:statuscode", "overwrite:body"])
    func rejectsBadKeys(_ key: String) {
        #expect(throws: APIError.self) { try ParameterMapping(parameters: [key: "v"]) }
    }

    @Test func rendersMixedTemplates() {
        let input = Input(headers: ["x-in": ["a", "b"]], query: ["q": ["1", "2"]], path: ["id": "42"])
        #expect(ValueTemplate(parsing: "$request.header.X-In").render(input) == "a,b")
        #expect(ValueTemplate(parsing: "$request.querystring.q").render(input) == "2")
        #expect(ValueTemplate(parsing: "$request.multivaluequerystring.q").render(input) == "1,2")
        #expect(ValueTemplate(parsing: "id=$request.path.id;env=${stageVariables.env}").render(input) == "id=42;env=prod")
        #expect(ValueTemplate(parsing: "$context.requestId").render(input) == "rid")
        #expect(ValueTemplate(parsing: "$request.path").render(input) == "/p")
        // Body paths are parsed when the template is; a path that does not parse selects nothing.
        #expect(ValueTemplate(parsing: "$request.body.a[0]").render(input) == "1")
        #expect(ValueTemplate(parsing: "$request.body.a").render(input) == "[1,\"x\"]")
        #expect(ValueTemplate(parsing: "$request.body.a[9]").render(input) == nil)
        #expect(JSONBodyPath(".a[").steps == nil)
        #expect(ValueTemplate(parsing: "cost: $5").render(input) == "cost: $5")
        // A lone reference to something absent renders as nothing, so no empty header is sent.
        #expect(ValueTemplate(parsing: "$request.header.missing").render(input) == nil)
        #expect(ValueTemplate(parsing: "x-$request.header.missing").render(input) == "x-")
    }
}

struct HTTPTargetTests {
    @Test func parsesURIs() throws {
        let target = try HTTPTarget(uri: "http://example.com:8080/a/{id}/b/{proxy+}?k=v")
        #expect(target.host == "example.com")
        #expect(target.port == 8080)
        #expect(target.hostHeader == "example.com:8080")
        #expect(target.query == "k=v")
        #expect(target.path == [.literal("/a/"), .parameter("id"), .literal("/b/"), .parameter("proxy")])
        let https = try HTTPTarget(uri: "https://example.com")
        #expect(https.port == 443 && https.hostHeader == "example.com" && https.path.isEmpty)
        let v6 = try HTTPTarget(uri: "http://[::1]:9000/x")
        #expect(v6.host == "::1" && v6.port == 9000 && v6.hostHeader == "[::1]:9000")
    }

    @Test(arguments: ["example.com/x", "ftp://example.com", "http://", "http://host:99999/", "http://user@host/", "http://host:abc/"])
    func rejectsBadURIs(_ uri: String) {
        #expect(throws: APIError.self) { try HTTPTarget(uri: uri) }
    }

    @Test func substitutesStageVariables() {
        #expect(
            DeploymentCompiler.substituteStageVariables("http://${stageVariables.host}/v1/$stageVariables.path", ["host": "h:1", "path": "p"])
                == "http://h:1/v1/p")
    }
}

struct CorsPolicyTests {
    @Test func originMatching() {
        let policy = CorsPolicy(CorsConfiguration(allowOrigins: ["https://a.example", "https://*.b.example"]))
        #expect(policy.allowOrigin(for: "https://a.example") == "https://a.example")
        #expect(policy.allowOrigin(for: "https://x.b.example") == "https://x.b.example")
        #expect(policy.allowOrigin(for: "https://b.example") == nil)
        #expect(policy.allowOrigin(for: "https://evil.example") == nil)
        #expect(CorsPolicy(CorsConfiguration(allowOrigins: ["*"])).allowOrigin(for: "https://any") == "*")
    }
}
