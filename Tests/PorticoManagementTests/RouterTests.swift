import Testing

@testable import PorticoManagement

struct RouterTests {
    func makeRouter() -> Router<String> {
        var router = Router<String>()
        router.add("GET", "/v2/apis", "getApis")
        router.add("POST", "/v2/apis", "createApi")
        router.add("GET", "/v2/apis/{apiId}", "getApi")
        router.add("GET", "/v2/apis/{apiId}/routes/{routeId}", "getRoute")
        router.add("GET", "/v2/tags/{resource-arn}", "getTags")
        return router
    }

    func handler(_ lookup: Router<String>.Lookup) -> (String, [String: String])? {
        if case .found(let match) = lookup { return (match.handler, match.parameters) }
        return nil
    }

    @Test func matchesMethodAndTemplate() {
        let router = makeRouter()
        #expect(handler(router.route(method: "GET", rawPath: "/v2/apis"))?.0 == "getApis")
        #expect(handler(router.route(method: "POST", rawPath: "/v2/apis"))?.0 == "createApi")
        let route = handler(router.route(method: "GET", rawPath: "/v2/apis/abc123/routes/r1"))
        #expect(route?.0 == "getRoute")
        #expect(route?.1 == ["apiId": "abc123", "routeId": "r1"])
    }

    @Test func trailingSlashIsIgnored() {
        #expect(handler(makeRouter().route(method: "GET", rawPath: "/v2/apis/"))?.0 == "getApis")
    }

    @Test func parametersArePercentDecodedAfterSplitting() {
        // botocore encodes the whole ARN, slashes included, into one segment.
        let lookup = makeRouter().route(
            method: "GET", rawPath: "/v2/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Fapis%2Fabc")
        #expect(handler(lookup)?.1 == ["resource-arn": "arn:aws:apigateway:us-east-1::/apis/abc"])
    }

    @Test func unknownPathAndWrongMethodAreDistinguished() {
        let router = makeRouter()
        guard case .notFound = router.route(method: "GET", rawPath: "/v2/nothing") else {
            Issue.record("expected notFound")
            return
        }
        guard case .methodNotAllowed = router.route(method: "DELETE", rawPath: "/v2/apis") else {
            Issue.record("expected methodNotAllowed")
            return
        }
        guard case .notFound = router.route(method: "GET", rawPath: "/v2/apis//routes/x") else {
            Issue.record("an empty parameter segment must not match")
            return
        }
    }

    @Test func malformedEscapesAreReported() {
        guard case .malformedPath = makeRouter().route(method: "GET", rawPath: "/v2/apis/%zz") else {
            Issue.record("expected malformedPath")
            return
        }
    }

    @Test func everyOperationOfTheModelIsRegistered() {
        let templates = Set(ManagementResponder.makeRouter().templates.map { "\($0.method) \($0.template)" })
        for expected in [
            "POST /v2/apis", "GET /v2/apis", "GET /v2/apis/{apiId}", "PATCH /v2/apis/{apiId}", "DELETE /v2/apis/{apiId}",
            "POST /v2/apis/{apiId}/routes", "GET /v2/apis/{apiId}/routes", "GET /v2/apis/{apiId}/routes/{routeId}",
            "PATCH /v2/apis/{apiId}/routes/{routeId}", "DELETE /v2/apis/{apiId}/routes/{routeId}",
            "POST /v2/apis/{apiId}/integrations", "GET /v2/apis/{apiId}/integrations",
            "GET /v2/apis/{apiId}/integrations/{integrationId}", "PATCH /v2/apis/{apiId}/integrations/{integrationId}",
            "DELETE /v2/apis/{apiId}/integrations/{integrationId}",
            "POST /v2/apis/{apiId}/stages", "GET /v2/apis/{apiId}/stages", "GET /v2/apis/{apiId}/stages/{stageName}",
            "PATCH /v2/apis/{apiId}/stages/{stageName}", "DELETE /v2/apis/{apiId}/stages/{stageName}",
            "DELETE /v2/apis/{apiId}/stages/{stageName}/accesslogsettings",
            "DELETE /v2/apis/{apiId}/stages/{stageName}/routesettings/{routeKey}",
            "POST /v2/apis/{apiId}/deployments", "GET /v2/apis/{apiId}/deployments",
            "GET /v2/apis/{apiId}/deployments/{deploymentId}", "PATCH /v2/apis/{apiId}/deployments/{deploymentId}",
            "DELETE /v2/apis/{apiId}/deployments/{deploymentId}",
            "POST /v2/tags/{resource-arn}", "DELETE /v2/tags/{resource-arn}", "GET /v2/tags/{resource-arn}",
            "PUT /v2/apis", "PUT /v2/apis/{apiId}", "GET /v2/apis/{apiId}/exports/{specification}",
            "DELETE /v2/apis/{apiId}/cors",
        ] {
            #expect(templates.contains(expected), "missing \(expected)")
        }
    }
}
