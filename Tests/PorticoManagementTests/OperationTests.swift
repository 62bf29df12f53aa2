import Foundation
import Logging
import PorticoAuth
import PorticoModel
import PorticoStore
import Testing

@testable import PorticoManagement

/// Drives the operations in process, through the responder's router (SigV4 is covered by the
/// server tests and the end-to-end suite).
struct OperationHarness {
    let directory: String
    let store: SQLiteStore
    let responder: ManagementResponder

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("portico-mgmt-\(UUID().uuidString)").path
        store = try SQLiteStore(directory: directory)
        var configuration = ManagementConfiguration()
        configuration.enableReset = true
        responder = ManagementResponder(
            configuration: configuration, store: store, verifier: SigV4Verifier(mode: .verify(credentials: [:])),
            metricsText: { "metric 1\n" }, logger: Logger(label: "test"))
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    struct Reply {
        var status: Int
        var json: [String: Any]
        var errorType: String?
    }

    @discardableResult
    func call(_ method: String, _ path: String, _ body: String = "") async throws -> Reply {
        let request = ManagementRequest(method: method, uri: path, headers: [], body: Array(body.utf8))
        guard case .found(let match) = responder.router.route(method: method, rawPath: request.rawPath) else {
            Issue.record("no operation for \(method) \(path)")
            return Reply(status: 0, json: [:])
        }
        let context = OperationContext(
            request: request, parameters: match.parameters, configuration: responder.configuration, store: store, now: Date())
        let response: ManagementResponse
        do {
            response = try await match.handler(context)
        } catch let error as APIError {
            response = .error(error)
        }
        let json = response.body.isEmpty ? [:] : (try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:])
        return Reply(status: response.status, json: json, errorType: response.headers.first { $0.name == "x-amzn-ErrorType" }?.value)
    }

    func document(_ apiId: String) async throws -> ApiDocument? {
        try await store.transaction { try $0.apiDocument(id: apiId) }
    }
}

struct OperationTests {
    @Test func quickCreateMakesManagedIntegrationRouteAndAutoDeployedStage() async throws {
        let harness = try OperationHarness()
        defer { harness.cleanUp() }
        let created = try await harness.call(
            "POST", "/v2/apis", #"{"name":"q","protocolType":"HTTP","target":"arn:aws:lambda:us-east-1:123456789012:function:f","routeKey":"GET /hi"}"#)
        #expect(created.status == 201)
        let apiId = try #require(created.json["apiId"] as? String)
        #expect(created.json["apiEndpoint"] as? String == "http://\(apiId).execute-api.localhost:8080")
        let document = try #require(try await harness.document(apiId))
        #expect(document.integrations.count == 1)
        #expect(document.integrations[0].integrationType == "AWS_PROXY")
        #expect(document.integrations[0].payloadFormatVersion == "2.0")
        #expect(document.routes.map(\.routeKey) == ["GET /hi"])
        #expect(document.routes[0].target == "integrations/\(document.integrations[0].integrationId)")
        #expect(document.stages.map(\.stageName) == ["$default"])
        #expect(document.stages[0].autoDeploy == true)
        #expect(document.deployments.count == 1)
        #expect(document.stages[0].deploymentId == document.deployments[0].deploymentId)
        #expect([document.integrations[0].apiGatewayManaged, document.routes[0].apiGatewayManaged, document.stages[0].apiGatewayManaged] == [true, true, true])
        let snapshot = try await harness.store.transaction {
            try $0.deploymentSnapshot(apiId: apiId, deploymentId: document.deployments[0].deploymentId)
        }
        #expect(snapshot?.routes == document.routes)
    }

    @Test func changesAutoDeployOnlyAutoDeployStages() async throws {
        let harness = try OperationHarness()
        defer { harness.cleanUp() }
        let apiId = try #require(try await harness.call("POST", "/v2/apis", #"{"name":"a","protocolType":"HTTP"}"#).json["apiId"] as? String)
        try await harness.call("POST", "/v2/apis/\(apiId)/stages", #"{"stageName":"auto","autoDeploy":true}"#)
        try await harness.call("POST", "/v2/apis/\(apiId)/stages", #"{"stageName":"manual"}"#)
        let afterStages = try #require(try await harness.document(apiId))
        #expect(afterStages.deployments.count == 1)

        let integration = try await harness.call(
            "POST", "/v2/apis/\(apiId)/integrations",
            #"{"integrationType":"HTTP_PROXY","integrationMethod":"ANY","integrationUri":"http://example.com"}"#)
        let integrationId = try #require(integration.json["integrationId"] as? String)
        #expect(integration.json["payloadFormatVersion"] as? String == "1.0")
        try await harness.call("POST", "/v2/apis/\(apiId)/routes", #"{"routeKey":"GET /x","target":"integrations/\#(integrationId)"}"#)
        try await harness.call("PATCH", "/v2/apis/\(apiId)", #"{"corsConfiguration":{"allowOrigins":["https://a.example"]}}"#)
        // A change that no deployment captures deploys nothing.
        try await harness.call("PATCH", "/v2/apis/\(apiId)", #"{"description":"only metadata"}"#)

        let document = try #require(try await harness.document(apiId))
        #expect(document.deployments.count == 4)
        #expect(document.deployments.allSatisfy { $0.autoDeployed == true })
        let auto = try #require(document.stage("auto"))
        #expect(auto.deploymentId == document.deployments.last?.deploymentId)
        #expect(auto.lastDeploymentStatusMessage == "Successfully deployed stage with deployment ID '\(auto.deploymentId!)'")
        #expect(document.stage("manual")?.deploymentId == nil)
    }

    @Test func aFailedCallChangesNothing() async throws {
        let harness = try OperationHarness()
        defer { harness.cleanUp() }
        let apiId = try #require(
            try await harness.call("POST", "/v2/apis", #"{"name":"a","protocolType":"HTTP","target":"http://example.com"}"#).json["apiId"] as? String)
        let before = try await harness.document(apiId)
        let missingTarget = try await harness.call("POST", "/v2/apis/\(apiId)/routes", #"{"routeKey":"GET /y","target":"integrations/nope123"}"#)
        #expect(missingTarget.status == 404)
        #expect(missingTarget.json["message"] as? String == "Invalid Integration identifier specified nope123")
        let badTimeout = try await harness.call(
            "PATCH", "/v2/apis/\(apiId)/integrations/\(before!.integrations[0].integrationId)", #"{"timeoutInMillis":5}"#)
        #expect(badTimeout.status == 400)
        let duplicate = try await harness.call("POST", "/v2/apis/\(apiId)/routes", #"{"routeKey":"$default"}"#)
        #expect(duplicate.status == 409)
        #expect(duplicate.errorType == "ConflictException")
        #expect(try await harness.document(apiId) == before)
    }

    @Test func deletingWhatOthersUseIsRefused() async throws {
        let harness = try OperationHarness()
        defer { harness.cleanUp() }
        let apiId = try #require(
            try await harness.call("POST", "/v2/apis", #"{"name":"a","protocolType":"HTTP","target":"http://example.com"}"#).json["apiId"] as? String)
        let document = try #require(try await harness.document(apiId))
        let integration = try await harness.call("DELETE", "/v2/apis/\(apiId)/integrations/\(document.integrations[0].integrationId)")
        #expect(integration.status == 409)
        #expect(
            integration.json["message"] as? String
                == "Cannot delete Integration because it is referenced by the following Routes with Ids: [\(document.routes[0].routeId)]")
        let deployment = try await harness.call("DELETE", "/v2/apis/\(apiId)/deployments/\(document.deployments[0].deploymentId)")
        #expect(deployment.status == 400)
        #expect(deployment.json["message"] as? String == "Active stages pointing to this deployment must be moved or deleted.")
    }

    @Test func unknownIdsUseAWSMessages() async throws {
        let harness = try OperationHarness()
        defer { harness.cleanUp() }
        let missingApi = try await harness.call("GET", "/v2/apis/zzzzzzzzzz")
        #expect(missingApi.status == 404)
        #expect(missingApi.json["message"] as? String == "Invalid API identifier specified 000000000000:zzzzzzzzzz")
        let apiId = try #require(try await harness.call("POST", "/v2/apis", #"{"name":"a","protocolType":"HTTP"}"#).json["apiId"] as? String)
        #expect(try await harness.call("GET", "/v2/apis/\(apiId)/routes/r").json["message"] as? String == "Invalid Route identifier specified r")
        #expect(try await harness.call("GET", "/v2/apis/\(apiId)/stages/s").json["message"] as? String == "Invalid stage identifier specified s")
        #expect(
            try await harness.call("GET", "/v2/apis/\(apiId)/deployments/d").json["message"] as? String
                == "Invalid Deployment identifier specified d")
    }

    @Test func wrongMemberTypesNameTheMember() async throws {
        let harness = try OperationHarness()
        defer { harness.cleanUp() }
        let reply = try await harness.call("POST", "/v2/apis", #"{"name":["x"],"protocolType":"HTTP"}"#)
        #expect(reply.status == 400)
        #expect(reply.json["message"] as? String == "Invalid type for member 'name': expected a string but got a list.")
        let malformed = try await harness.call("POST", "/v2/apis", #"{"name":"#)
        #expect(malformed.status == 400)
        #expect(malformed.errorType == "BadRequestException")
    }

    @Test func tagsOnApisAndStages() async throws {
        let harness = try OperationHarness()
        defer { harness.cleanUp() }
        let apiId = try #require(
            try await harness.call("POST", "/v2/apis", #"{"name":"a","protocolType":"HTTP","tags":{"team":"x"}}"#).json["apiId"] as? String)
        try await harness.call("POST", "/v2/apis/\(apiId)/stages", #"{"stageName":"dev"}"#)
        let apiArn = "arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Fapis%2F\(apiId)"
        #expect(try await harness.call("POST", "/v2/tags/\(apiArn)", #"{"tags":{"env":"test"}}"#).status == 201)
        #expect(try await harness.call("GET", "/v2/tags/\(apiArn)").json["tags"] as? [String: String] == ["team": "x", "env": "test"])
        #expect(try await harness.call("DELETE", "/v2/tags/\(apiArn)?tagKeys=team&tagKeys=nothing").status == 204)
        #expect(try await harness.call("GET", "/v2/tags/\(apiArn)").json["tags"] as? [String: String] == ["env": "test"])
        let stageArn = "\(apiArn)%2Fstages%2Fdev"
        #expect(try await harness.call("POST", "/v2/tags/\(stageArn)", #"{"tags":{"s":"1"}}"#).status == 201)
        #expect(try await harness.call("GET", "/v2/tags/\(stageArn)").json["tags"] as? [String: String] == ["s": "1"])
        #expect(try await harness.call("GET", "/v2/tags/\(apiArn)%2Fstages%2Fnone").status == 404)
    }

    @Test func stageRules() async throws {
        let harness = try OperationHarness()
        defer { harness.cleanUp() }
        let apiId = try #require(try await harness.call("POST", "/v2/apis", #"{"name":"a","protocolType":"HTTP"}"#).json["apiId"] as? String)
        #expect(try await harness.call("POST", "/v2/apis/\(apiId)/stages", #"{"stageName":"bad name"}"#).status == 400)
        #expect(try await harness.call("POST", "/v2/apis/\(apiId)/stages", #"{"stageName":"dev","deploymentId":"nope00"}"#).status == 404)
        #expect(try await harness.call("POST", "/v2/apis/\(apiId)/stages", #"{"stageName":"dev"}"#).status == 201)
        let duplicate = try await harness.call("POST", "/v2/apis/\(apiId)/stages", #"{"stageName":"dev"}"#)
        #expect(duplicate.status == 409)
        #expect(duplicate.json["message"] as? String == "Stage already exists")
        let badLog = try await harness.call(
            "PATCH", "/v2/apis/\(apiId)/stages/dev", #"{"accessLogSettings":{"destinationArn":"stdout","format":"$context.status"}}"#)
        #expect(badLog.status == 400)
        let goodLog = try await harness.call(
            "PATCH", "/v2/apis/\(apiId)/stages/dev",
            #"{"accessLogSettings":{"destinationArn":"file:/tmp/x.log","format":"$context.requestId"}}"#)
        #expect(goodLog.status == 200)
        #expect(try await harness.call("DELETE", "/v2/apis/\(apiId)/stages/dev/accesslogsettings").status == 204)
        #expect(try await harness.document(apiId)?.stage("dev")?.accessLogSettings == nil)
    }
}
