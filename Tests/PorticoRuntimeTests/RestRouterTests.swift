import PorticoModel
import PorticoObservability
import PorticoSchema
import Testing

@testable import PorticoRuntime

/// The REST resource tree's precedence, as AWS routes REST APIs: literal path part, then
/// `{param}`, then greedy `{proxy+}` at every level; the request's method before `ANY`.
struct RestRouterTests {
    static let metrics = MetricsRegistry()

    static func method(_ httpMethod: String, _ path: String) -> RestRuntimeMethod {
        var warnings: [String] = []
        let key = "\(httpMethod) \(path)"
        return RestRuntimeMethod(
            httpMethod: httpMethod, resourcePath: path, resourceId: path,
            route: RuntimeRoute(routeKey: key, routeId: path, integration: nil, metrics: metrics.routeMetrics(apiId: "a", stage: "s", route: key)),
            validation: RequestValidation(requiredParameters: nil, validateRequestParameters: false, validateRequestBody: false, bodySchemas: [:]),
            integration: RestRuntimeIntegration(
                kind: .mock, method: nil, timeoutMillis: 29_000, requestParameters: [],
                requestTemplates: .init(templates: [:]), contentHandling: nil,
                responses: RestIntegrationResponses([:], warnings: &warnings)))
    }

    static func router(_ keys: [(String, String)]) -> RestRouter {
        RestRouter(methods: keys.map { method($0.0, $0.1) })
    }

    func matched(_ router: RestRouter, _ httpMethod: String, _ path: Substring) -> String? {
        router.match(method: httpMethod, path: path).map { "\($0.value.httpMethod) \($0.value.resourcePath)" }
    }

    @Test func literalBeatsParameterBeatsGreedy() {
        let router = Self.router([("GET", "/pets/mine"), ("GET", "/pets/{id}"), ("GET", "/{proxy+}")])
        #expect(matched(router, "GET", "/pets/mine") == "GET /pets/mine")
        #expect(matched(router, "GET", "/pets/7") == "GET /pets/{id}")
        #expect(matched(router, "GET", "/pets/7/toys") == "GET /{proxy+}")
        #expect(matched(router, "GET", "/other") == "GET /{proxy+}")
    }

    @Test func methodBeatsAnyAndAnyTakesTheRest() {
        let router = Self.router([("ANY", "/pets"), ("POST", "/pets")])
        #expect(matched(router, "POST", "/pets") == "POST /pets")
        #expect(matched(router, "DELETE", "/pets") == "ANY /pets")
    }

    @Test func rootAndGreedyNeedsASegment() {
        let router = Self.router([("GET", "/"), ("ANY", "/{proxy+}")])
        #expect(matched(router, "GET", "/") == "GET /")
        #expect(matched(router, "POST", "/") == nil)
        let match = router.match(method: "POST", path: "/a/b%2Bc")
        #expect(match?.value.resourcePath == "/{proxy+}")
        #expect(match?.pathParameters.first?.name == "proxy")
    }

    @Test func noRouteForAMethodOrPathIsNil() {
        let router = Self.router([("GET", "/pets")])
        #expect(matched(router, "POST", "/pets") == nil)
        #expect(matched(router, "GET", "/dogs") == nil)
    }

    @Test func parametersAreCapturedByName() {
        let router = Self.router([("GET", "/users/{userId}/orders/{orderId}")])
        let match = router.match(method: "GET", path: "/users/u1/orders/o%202")
        #expect(match?.pathParameters.map(\.name) == ["userId", "orderId"])
        #expect(match?.pathParameters.map(\.value) == ["u1", "o 2"])
    }
}
