import Foundation
import PorticoModel
import PorticoStore
import Testing

/// The contract for REST API documents and REST deployment snapshots.
extension StoreContract {
    static let restApiChecks: [StoreContractCheck] = [
        StoreContractCheck(name: "REST round trip", run: restRoundTrip),
        StoreContractCheck(name: "REST changes are announced apart from HTTP APIs", run: restChanges),
        StoreContractCheck(name: "REST rollback and deleteEverything", run: restRollbackAndReset),
    ]

    static func sampleRestDocument(id: String, name: String = "rest") -> RestApiDocument {
        let created = Date(timeIntervalSince1970: 1_700_000_000)
        let root = RestResource(id: "root\(id.prefix(6))", parentId: nil, pathPart: nil, path: "/")
        var document = RestApiDocument(
            restApi: RestApi(id: id, name: name, rootResourceId: root.id, createdDate: created), root: root,
            models: RestModel.defaults(ids: (empty: "mdl001", error: "mdl002")))
        var pets = RestResource(id: "res001", parentId: root.id, pathPart: "pets", path: "/pets")
        var method = RestMethod(httpMethod: "GET", authorizationType: "NONE")
        var integration = RestIntegration(type: "MOCK")
        integration.requestTemplates = ["application/json": #"{"statusCode": 200}"#]
        integration.integrationResponses = ["200": IntegrationResponse(statusCode: "200")]
        method.methodIntegration = integration
        method.methodResponses = ["200": MethodResponse(statusCode: "200")]
        pets.resourceMethods = ["GET": method]
        document.resources.append(pets)
        document.requestValidators = [RequestValidator(id: "val001", name: "all", validateRequestBody: true)]
        document.gatewayResponses = [GatewayResponse(responseType: .default4XX, statusCode: "444", defaultResponse: false)]
        document.deployments = [RestDeployment(id: "dep001", description: nil, createdDate: created)]
        var stage = RestStage(stageName: "prod", deploymentId: "dep001", createdDate: created)
        stage.methodSettings["*/*"] = MethodSetting()
        stage.canarySettings = CanarySettings(percentTraffic: 10, deploymentId: "dep001")
        document.stages = [stage]
        return document
    }

    static func restRoundTrip(_ store: any Store) async throws {
        let document = sampleRestDocument(id: "rrrrrrrrr1")
        let snapshot = RestDeploymentSnapshot(deploymentId: "dep001", of: document)
        try await store.transaction { tx in
            try tx.putRestApiDocument(document)
            try tx.putRestApiDocument(sampleRestDocument(id: "rrrrrrrrr0"))
            try tx.putRestDeploymentSnapshot(snapshot)
        }
        let (read, readSnapshot, ids, asHttpApi) = try await store.transaction { tx in
            (
                try tx.restApiDocument(id: "rrrrrrrrr1"),
                try tx.restDeploymentSnapshot(restApiId: "rrrrrrrrr1", deploymentId: "dep001"),
                try tx.allRestApiDocuments().map(\.restApi.id),
                try tx.apiDocument(id: "rrrrrrrrr1")
            )
        }
        #expect(read == document)
        #expect(readSnapshot == snapshot)
        #expect(readSnapshot?.resources.first { $0.path == "/pets" }?.method("GET")?.methodIntegration?.type == "MOCK")
        #expect(ids == ["rrrrrrrrr0", "rrrrrrrrr1"])
        #expect(asHttpApi == nil)

        try await store.transaction { tx in try tx.deleteRestApiDocument(id: "rrrrrrrrr1") }
        let (gone, goneSnapshot) = try await store.transaction { tx in
            (try tx.restApiDocument(id: "rrrrrrrrr1"), try tx.restDeploymentSnapshot(restApiId: "rrrrrrrrr1", deploymentId: "dep001"))
        }
        #expect(gone == nil)
        #expect(goneSnapshot == nil)
    }

    static func restChanges(_ store: any Store) async throws {
        var iterator = store.changes().makeAsyncIterator()
        try await store.transaction { tx in
            let document = sampleRestDocument(id: "sssssssss1")
            try tx.putRestApiDocument(document)
            try tx.putRestDeploymentSnapshot(RestDeploymentSnapshot(deploymentId: "dep001", of: document))
        }
        try await store.transaction { tx in
            try tx.deleteRestDeploymentSnapshot(restApiId: "sssssssss1", deploymentId: "dep001")
            try tx.putApiDocument(sampleDocument(id: "sssssssss2"))
        }
        #expect(await iterator.next() == StoreChange(apiIds: [], restApiIds: ["sssssssss1"]))
        #expect(await iterator.next() == StoreChange(apiIds: ["sssssssss2"], restApiIds: ["sssssssss1"]))
        try await store.transaction { tx in try tx.deleteEverything() }
        #expect(await iterator.next() == StoreChange(apiIds: ["sssssssss2"], restApiIds: ["sssssssss1"], everything: true))
    }

    static func restRollbackAndReset(_ store: any Store) async throws {
        await #expect(throws: Boom.self) {
            try await store.transaction { tx in
                try tx.putRestApiDocument(sampleRestDocument(id: "ttttttttt1"))
                throw Boom()
            }
        }
        #expect(try await store.transaction { tx in try tx.allRestApiDocuments() }.isEmpty)
        try await store.transaction { tx in
            let document = sampleRestDocument(id: "ttttttttt2")
            try tx.putRestApiDocument(document)
            try tx.putRestDeploymentSnapshot(RestDeploymentSnapshot(deploymentId: "dep001", of: document))
        }
        try await store.transaction { tx in try tx.deleteEverything() }
        let (all, snapshot) = try await store.transaction { tx in
            (try tx.allRestApiDocuments(), try tx.restDeploymentSnapshot(restApiId: "ttttttttt2", deploymentId: "dep001"))
        }
        #expect(all.isEmpty)
        #expect(snapshot == nil)
    }
}
