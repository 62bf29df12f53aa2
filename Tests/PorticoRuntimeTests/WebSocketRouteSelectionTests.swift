import Foundation
import PorticoModel
import PorticoObservability
import Testing

@testable import PorticoRuntime

/// WebSocket route selection (AWS, "Create routes for WebSocket APIs"): the evaluated selection
/// expression names a custom route; anything else (not JSON, nothing to evaluate, no such route,
/// a reserved key) goes to `$default`, or nowhere when there is none.
struct WebSocketRouteSelectionTests {
    static let metrics = MetricsRegistry()

    static func stage(_ expression: String, keys: [String]) throws -> WebSocketRuntimeStage {
        var routes: [String: WebSocketRuntimeRoute] = [:]
        for key in keys {
            routes[key] = WebSocketRuntimeRoute(
                routeKey: key, routeId: key, integration: nil, twoWay: false,
                metrics: metrics.routeMetrics(apiId: "a", stage: "s", route: key))
        }
        return WebSocketRuntimeStage(routeSelection: CompiledSelectionExpression(try SelectionExpression(parsing: expression)), routes: routes)
    }

    static func json(_ text: String) -> JSONValue? { JSONParser.parse(Array(text.utf8)) }

    @Test func selectsTheRouteNamedByTheBody() throws {
        let stage = try Self.stage("$request.body.action", keys: ["$default", "join", "leave"])
        #expect(stage.route(forMessage: Self.json(#"{"action":"join"}"#))?.routeKey == "join")
        #expect(stage.route(forMessage: Self.json(#"{"action":"leave","x":1}"#))?.routeKey == "leave")
    }

    @Test func fallsBackToDefault() throws {
        let stage = try Self.stage("$request.body.action", keys: ["$default", "join"])
        #expect(stage.route(forMessage: Self.json(#"{"action":"other"}"#))?.routeKey == "$default")
        #expect(stage.route(forMessage: Self.json(#"{"no":"action"}"#))?.routeKey == "$default")
        #expect(stage.route(forMessage: nil)?.routeKey == "$default")
        // Reserved keys are never chosen by a message.
        #expect(stage.route(forMessage: Self.json(#"{"action":"$connect"}"#))?.routeKey == "$default")
    }

    @Test func noDefaultMeansNoRoute() throws {
        let stage = try Self.stage("$request.body.action", keys: ["join", "$connect"])
        #expect(stage.route(forMessage: Self.json(#"{"action":"other"}"#)) == nil)
        #expect(stage.route(forMessage: Self.json(#"{"action":"$connect"}"#)) == nil)
    }

    @Test func combinesVariablesAndText() throws {
        let stage = try Self.stage("${request.body.service}/${request.body.action}", keys: ["chat/join", "$default"])
        #expect(stage.route(forMessage: Self.json(#"{"service":"chat","action":"join"}"#))?.routeKey == "chat/join")
        #expect(stage.route(forMessage: Self.json(#"{"service":"chat"}"#))?.routeKey == "$default")
    }

    @Test func nestedPathsAndNonStringValues() throws {
        let stage = try Self.stage("$request.body.data.kind", keys: ["7", "true", "$default"])
        #expect(stage.route(forMessage: Self.json(#"{"data":{"kind":7}}"#))?.routeKey == "7")
        #expect(stage.route(forMessage: Self.json(#"{"data":{"kind":true}}"#))?.routeKey == "true")
    }

    @Test func statusPatternsMatchTheWholeStatus() {
        let pattern = StatusPattern(key: "/4\\d\\d/")
        #expect(pattern?.matches("404") == true)
        #expect(pattern?.matches("4040") == false)
        #expect(pattern?.matches("200") == false)
        #expect(StatusPattern(key: "$default") == nil)
    }
}
