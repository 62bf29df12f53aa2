import PorticoModel
import PorticoObservability
import PorticoSchema
import Testing

@testable import PorticoRuntime

/// Compiling REST API stages: stage variables in URIs, canaries with overrides, gateway
/// responses, validation and what cannot be served.
struct RestDeploymentCompilerTests {
    static let compiler = RestDeploymentCompiler(metrics: MetricsRegistry(), accessLogs: AccessLogWriters(logDirectory: "/tmp"))

    static func document(integration: RestIntegration, validator: RequestValidator? = nil, parameters: [String: Bool] = [:]) -> RestApiDocument {
        var document = RestApiDocument(
            restApi: RestApi(id: "abc123defg", name: "t", rootResourceId: "rootid0000", createdDate: nil),
            root: RestResource(id: "rootid0000", parentId: nil, pathPart: nil, path: "/"), models: [])
        var resource = RestResource(id: "res001", parentId: "rootid0000", pathPart: "{id}", path: "/{id}")
        var method = RestMethod(httpMethod: "GET", authorizationType: "NONE")
        method.methodIntegration = integration
        method.requestParameters = parameters
        if let validator {
            document.requestValidators = [validator]
            method.requestValidatorId = validator.id
        }
        resource.resourceMethods = ["GET": method]
        document.resources.append(resource)
        document.gatewayResponses = [
            GatewayResponse(responseType: .default4XX, statusCode: nil, responseParameters: ["gatewayresponse.header.x-a": "'b'"], defaultResponse: false)
        ]
        return document
    }

    static func compile(_ document: RestApiDocument, variables: [String: String], canary: CanarySettings? = nil) -> (RestRuntimeApi, [String]) {
        var document = document
        var stage = RestStage(stageName: "prod", deploymentId: "dep001", createdDate: nil)
        stage.variables = variables
        var snapshots = ["dep001": RestDeploymentSnapshot(deploymentId: "dep001", of: document)]
        if let canary {
            stage.canarySettings = canary
            snapshots["dep002"] = RestDeploymentSnapshot(deploymentId: "dep002", of: document)
        }
        document.stages = [stage]
        let (api, warnings) = compiler.compile(document, snapshots: snapshots)
        return (api, warnings)
    }

    static func http(_ uri: String) -> RestIntegration {
        var integration = RestIntegration(type: "HTTP")
        integration.httpMethod = "GET"
        integration.uri = uri
        return integration
    }

    @Test func stageVariablesAreSubstitutedInTheURIPerDeployment() throws {
        let document = Self.document(integration: Self.http("http://${stageVariables.host}/items/{id}"))
        let canary = CanarySettings(percentTraffic: 10, deploymentId: "dep002", stageVariableOverrides: ["host": "canary:81"])
        let (api, warnings) = Self.compile(document, variables: ["host": "main:80"], canary: canary)
        #expect(warnings.isEmpty)
        let stage = try #require(api.stages["prod"])
        let main = try #require(stage.main.router.match(method: "GET", path: "/7")?.value.integration.kind)
        guard case .http(let target) = main else { Issue.record("not HTTP"); return }
        #expect(target.host == "main" && target.port == 80)
        let canaryKind = try #require(stage.canary?.deployment.router.match(method: "GET", path: "/7")?.value.integration.kind)
        guard case .http(let canaryTarget) = canaryKind else { Issue.record("not HTTP"); return }
        #expect(canaryTarget.host == "canary" && canaryTarget.port == 81)
        #expect(stage.canary?.deployment.stageVariables == ["host": "canary:81"])
        #expect(stage.deployment(roll: 9.99) === stage.canary?.deployment)
        #expect(stage.deployment(roll: 10) === stage.main)
    }

    @Test func customisedFamilyHeadersReachDefaultTypes() {
        let (api, _) = Self.compile(Self.document(integration: RestIntegration(type: "MOCK")), variables: [:])
        let response = api.stages["prod"]!.main.gatewayResponses.response(.missingAuthenticationToken)
        #expect(response.status == 403)
        #expect(response.headers.map(\.name) == ["x-a"])
        #expect(response.errorType == "MissingAuthenticationTokenException")
        #expect(RestGatewayResponses.defaults.response(.integrationTimeout).status == 504)
    }

    @Test func requiredParametersAreValidatedOnlyWithAValidator() {
        let parameters = ["method.request.header.h": true, "method.request.querystring.q": true, "method.request.querystring.o": false]
        let validator = RequestValidator(id: "val001", name: "v", validateRequestParameters: true)
        let (checked, _) = Self.compile(Self.document(integration: RestIntegration(type: "MOCK"), validator: validator, parameters: parameters), variables: [:])
        let validation = checked.stages["prod"]!.main.router.match(method: "GET", path: "/1")!.value.validation
        let failure = validation.check(header: { _ in nil }, queryString: { _ in nil }, path: { _ in nil }, contentType: nil, body: [])
        #expect(failure?.message == "Missing required request parameters: [h, q]")
        let (unchecked, _) = Self.compile(Self.document(integration: RestIntegration(type: "MOCK"), parameters: parameters), variables: [:])
        #expect(!unchecked.stages["prod"]!.main.router.match(method: "GET", path: "/1")!.value.validation.isActive)
    }

    @Test func bodiesAreValidatedAgainstTheCompiledModel() {
        var document = Self.document(
            integration: RestIntegration(type: "MOCK"), validator: RequestValidator(id: "val001", name: "v", validateRequestBody: true))
        document.models = [
            RestModel(id: "m1", name: "Pet", schema: #"{"type": "object", "required": ["name"]}"#, contentType: "application/json")
        ]
        document.resources[1].resourceMethods?["GET"]?.requestModels = ["application/json": "Pet"]
        let (api, warnings) = Self.compile(document, variables: [:])
        #expect(warnings.isEmpty)
        let validation = api.stages["prod"]!.main.router.match(method: "GET", path: "/1")!.value.validation
        func check(_ body: String) -> String? {
            validation.check(header: { _ in nil }, queryString: { _ in nil }, path: { _ in nil }, contentType: "application/json", body: Array(body.utf8))?.message
        }
        #expect(check(#"{"name": "rex"}"#) == nil)
        #expect(check(#"{"age": 3}"#) == "Invalid request body")
        #expect(check("{nope") == "Invalid request body")
    }

    @Test func unsupportedTypesAndBadTemplatesAreUnusableNotFatal() {
        var bad = RestIntegration(type: "MOCK")
        bad.requestTemplates = ["application/json": "#if("]
        for integration in [RestIntegration(type: "AWS"), bad, Self.http("http://${stageVariables.none}")] {
            let (api, _) = Self.compile(Self.document(integration: integration), variables: [:])
            let kind = api.stages["prod"]?.main.router.match(method: "GET", path: "/1")?.value.integration.kind
            guard case .unusable? = kind else {
                Issue.record("\(integration.type) should be unusable")
                continue
            }
        }
    }

    @Test func aStageWithoutItsSnapshotIsNotServed() {
        var document = Self.document(integration: RestIntegration(type: "MOCK"))
        document.stages = [RestStage(stageName: "gone", deploymentId: "nothere", createdDate: nil)]
        let (api, _) = Self.compiler.compile(document, snapshots: [:])
        #expect(api.stages.isEmpty)
        #expect(api.stage(forPath: "/gone/x") == nil)
    }
}
