import PorticoModel
import Testing

@testable import PorticoRuntime

/// WebSocket `requestParameters` (AWS, "Set up data mapping for WebSocket APIs"): `route.request.*`,
/// `stageVariables.*`, `context.*` and static values map to `integration.request.{header|querystring|path}.*`.
struct WebSocketParameterMappingTests {
    @Test func documentedSourcesParse() throws {
        let cases: [(String, RestValueSource)] = [
            ("route.request.header.Auth", .requestHeader("Auth")),
            ("route.request.querystring.token", .requestQuery("token")),
            ("route.request.multivalueheader.X-Tag", .requestMultiValueHeader("X-Tag")),
            ("route.request.multivaluequerystring.tag", .requestMultiValueQuery("tag")),
            ("stageVariables.color", .stageVariable("color")),
            ("context.connectionId", .context("connectionId")),
            ("'static value'", .literal("static value")),
        ]
        for (expression, source) in cases {
            #expect(WebSocketParameterMapping.source(expression) == source, "\(expression)")
        }
        guard case .requestBody(let path?) = WebSocketParameterMapping.source("route.request.body.user.name") else {
            Issue.record("route.request.body.user.name is a body source")
            return
        }
        #expect(path.text(in: .object(["user": .object(["name": .string("ann")])])) == "ann")
        let mapping = try #require(WebSocketParameterMapping(key: "integration.request.path.room", expression: "route.request.body.room"))
        #expect(mapping.target.location == .path && mapping.target.name == "room")
    }

    @Test func otherFormsAreRefused() {
        for expression in ["method.request.header.x", "route.request.path.x", "integration.response.body", "route.response.header.x", "nonsense"] {
            #expect(WebSocketParameterMapping.source(expression) == nil, "\(expression)")
        }
        #expect(WebSocketParameterMapping(key: "integration.response.header.x", expression: "'v'") == nil)
        #expect(WebSocketParameterMapping(key: "header.x", expression: "'v'") == nil)
    }
}
