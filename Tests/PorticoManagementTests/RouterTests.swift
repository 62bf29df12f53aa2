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

    /// Every REST API (`apigateway`) operation of this round, listed from the botocore model.
    @Test func everyRestOperationOfTheModelIsRegistered() {
        let templates = Set(ManagementResponder.makeRouter().templates.map { "\($0.method) \($0.template)" })
        for expected in [
            "POST /restapis/{restapi_id}/deployments", 
            "POST /restapis/{restapi_id}/models", 
            "POST /restapis/{restapi_id}/requestvalidators", 
            "POST /restapis/{restapi_id}/resources/{parent_id}", 
            "POST /restapis", 
            "POST /restapis/{restapi_id}/stages", 
            "DELETE /restapis/{restapi_id}/deployments/{deployment_id}", 
            "DELETE /restapis/{restapi_id}/gatewayresponses/{response_type}", 
            "DELETE /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/integration", 
            "DELETE /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/integration/responses/{status_code}", 
            "DELETE /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}", 
            "DELETE /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/responses/{status_code}", 
            "DELETE /restapis/{restapi_id}/models/{model_name}", 
            "DELETE /restapis/{restapi_id}/requestvalidators/{requestvalidator_id}", 
            "DELETE /restapis/{restapi_id}/resources/{resource_id}", 
            "DELETE /restapis/{restapi_id}", 
            "DELETE /restapis/{restapi_id}/stages/{stage_name}", 
            "GET /restapis/{restapi_id}/deployments/{deployment_id}", 
            "GET /restapis/{restapi_id}/deployments", 
            "GET /restapis/{restapi_id}/gatewayresponses/{response_type}", 
            "GET /restapis/{restapi_id}/gatewayresponses", 
            "GET /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/integration", 
            "GET /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/integration/responses/{status_code}", 
            "GET /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}", 
            "GET /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/responses/{status_code}", 
            "GET /restapis/{restapi_id}/models/{model_name}", 
            "GET /restapis/{restapi_id}/models", 
            "GET /restapis/{restapi_id}/requestvalidators/{requestvalidator_id}", 
            "GET /restapis/{restapi_id}/requestvalidators", 
            "GET /restapis/{restapi_id}/resources/{resource_id}", 
            "GET /restapis/{restapi_id}/resources", 
            "GET /restapis/{restapi_id}", 
            "GET /restapis", 
            "GET /restapis/{restapi_id}/stages/{stage_name}", 
            "GET /restapis/{restapi_id}/stages", 
            "GET /tags/{resource_arn}", 
            "PUT /restapis/{restapi_id}/gatewayresponses/{response_type}", 
            "PUT /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/integration", 
            "PUT /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/integration/responses/{status_code}", 
            "PUT /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}", 
            "PUT /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/responses/{status_code}", 
            "PUT /restapis/{restapi_id}", 
            "PUT /tags/{resource_arn}", 
            "DELETE /tags/{resource_arn}", 
            "PATCH /restapis/{restapi_id}/deployments/{deployment_id}", 
            "PATCH /restapis/{restapi_id}/gatewayresponses/{response_type}", 
            "PATCH /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/integration", 
            "PATCH /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/integration/responses/{status_code}", 
            "PATCH /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}", 
            "PATCH /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/responses/{status_code}", 
            "PATCH /restapis/{restapi_id}/models/{model_name}", 
            "PATCH /restapis/{restapi_id}/requestvalidators/{requestvalidator_id}", 
            "PATCH /restapis/{restapi_id}/resources/{resource_id}", 
            "PATCH /restapis/{restapi_id}", 
            "PATCH /restapis/{restapi_id}/stages/{stage_name}"
        ] {
            #expect(templates.contains(expected), "missing \(expected)")
        }
    }
}
