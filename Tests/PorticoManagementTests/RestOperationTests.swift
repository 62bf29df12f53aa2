import Foundation
import PorticoModel
import PorticoStore
import Testing

@testable import PorticoManagement

/// The REST API operations in process, checked against what they leave in the store (the
/// end-to-end suite checks the wire with the AWS CLI and boto3).
struct RestOperationTests {
    /// Creates an API with `GET /pets` on a MOCK integration; returns (api id, pets resource id).
    func deployableApi(_ harness: OperationHarness) async throws -> (String, String) {
        let api = try await harness.call("POST", "/restapis", #"{"name":"pets"}"#)
        let apiId = try #require(api.json["id"] as? String)
        let root = try #require(api.json["rootResourceId"] as? String)
        let pets = try await harness.call("POST", "/restapis/\(apiId)/resources/\(root)", #"{"pathPart":"pets"}"#)
        let petsId = try #require(pets.json["id"] as? String)
        let method = "/restapis/\(apiId)/resources/\(petsId)/methods/GET"
        try await harness.call("PUT", method, #"{"authorizationType":"NONE"}"#)
        try await harness.call("PUT", method + "/integration", #"{"type":"MOCK","requestTemplates":{"application/json":"{\"statusCode\": 200}"}}"#)
        return (apiId, petsId)
    }

    @Test func createStoresTheTreeRootAndDefaultModels() async throws {
        let harness = try OperationHarness()
        defer { harness.cleanUp() }
        let reply = try await harness.call("POST", "/restapis", #"{"name":"pets","tags":{"a":"b"}}"#)
        #expect(reply.status == 201)
        let apiId = try #require(reply.json["id"] as? String)
        #expect(reply.json["createdDate"] is NSNumber)
        let document = try #require(try await harness.store.transaction { try $0.restApiDocument(id: apiId) })
        #expect(document.resources.map(\.path) == ["/"])
        #expect(document.resources[0].id == document.restApi.rootResourceId)
        #expect(document.models.map(\.name) == ["Empty", "Error"])
        #expect(try await harness.store.transaction { try $0.apiDocument(id: apiId) } == nil)
    }

    @Test func deploymentSnapshotsWhatTheDataPlaneNeeds() async throws {
        let harness = try OperationHarness()
        defer { harness.cleanUp() }
        let (apiId, petsId) = try await deployableApi(harness)
        var changes = harness.store.changes().makeAsyncIterator()
        let deployment = try await harness.call(
            "POST", "/restapis/\(apiId)/deployments", #"{"stageName":"prod","variables":{"backend":"b.example"}}"#)
        #expect(deployment.status == 201)
        let deploymentId = try #require(deployment.json["id"] as? String)
        #expect(await changes.next() == StoreChange(apiIds: [], restApiIds: [apiId]))

        let (document, snapshot) = try await harness.store.transaction { transaction in
            (try transaction.restApiDocument(id: apiId), try transaction.restDeploymentSnapshot(restApiId: apiId, deploymentId: deploymentId))
        }
        let stage = try #require(document?.stage("prod"))
        #expect(stage.deploymentId == deploymentId && stage.variables == ["backend": "b.example"])
        let pets = try #require(snapshot?.resources.first { $0.id == petsId })
        #expect(pets.method("GET")?.methodIntegration?.requestTemplates == ["application/json": #"{"statusCode": 200}"#])
        #expect(snapshot?.gatewayResponse(.missingAuthenticationToken).statusCode == "403")

        // Deleting the API deletes its snapshots.
        #expect(try await harness.call("DELETE", "/restapis/\(apiId)").status == 202)
        #expect(try await harness.store.transaction { try $0.restDeploymentSnapshot(restApiId: apiId, deploymentId: deploymentId) } == nil)
    }

    @Test func aFailedUpdateChangesNothing() async throws {
        let harness = try OperationHarness()
        defer { harness.cleanUp() }
        let (apiId, petsId) = try await deployableApi(harness)
        let before = try await harness.store.transaction { try $0.restApiDocument(id: apiId) }
        let reply = try await harness.call(
            "PATCH", "/restapis/\(apiId)/resources/\(petsId)/methods/GET/integration",
            #"{"patchOperations":[{"op":"replace","path":"/uri","value":"https://x.example"},{"op":"replace","path":"/nonsense","value":"1"}]}"#)
        #expect(reply.status == 400 && reply.json["message"] as? String == "Invalid patch path /nonsense")
        #expect(try await harness.store.transaction { try $0.restApiDocument(id: apiId) } == before)
    }

    @Test func deletingAResourceDeletesItsSubtreeAndMethods() async throws {
        let harness = try OperationHarness()
        defer { harness.cleanUp() }
        let (apiId, petsId) = try await deployableApi(harness)
        let child = try await harness.call("POST", "/restapis/\(apiId)/resources/\(petsId)", #"{"pathPart":"{petId}"}"#)
        #expect(child.json["path"] as? String == "/pets/{petId}")
        #expect(try await harness.call("DELETE", "/restapis/\(apiId)/resources/\(petsId)").status == 202)
        let document = try await harness.store.transaction { try $0.restApiDocument(id: apiId) }
        #expect(document?.resources.map(\.path) == ["/"])
        let root = try #require(document?.restApi.rootResourceId)
        #expect(try await harness.call("DELETE", "/restapis/\(apiId)/resources/\(root)").status == 400)
    }
}
