import Foundation
import PorticoModel
import PorticoStore
import Testing

/// One behaviour every ``Store`` implementation must have, runnable against any of them.
struct StoreContractCheck: Sendable, CustomStringConvertible {
    var name: String
    var run: @Sendable (any Store) async throws -> Void

    var description: String { name }
}

/// The contract suite: what the management API and the data plane rely on from a store.
/// A new implementation runs it with one parameterised test (see ``SQLiteStoreTests``).
enum StoreContract {
    static let all: [StoreContractCheck] = [
        StoreContractCheck(name: "round trip", run: roundTrip),
        StoreContractCheck(name: "rollback on throw leaves nothing", run: rollbackOnThrow),
        StoreContractCheck(name: "changes stream announces commits", run: changesStream),
        StoreContractCheck(name: "concurrent transactions serialise", run: concurrentTransactionsSerialise),
        StoreContractCheck(name: "deleteEverything", run: deleteEverything),
        StoreContractCheck(name: "deleting an API deletes its snapshots", run: deleteApiDeletesSnapshots),
    ] + restApiChecks + lambdaFunctionChecks + iamUserChecks + iamRoleChecks

    struct Boom: Error {}

    static func sampleDocument(id: String, name: String = "sample") -> ApiDocument {
        var document = ApiDocument(
            api: Api(apiId: id, name: name, protocolType: .http, createdDate: Date(timeIntervalSince1970: 1_700_000_000)))
        var integration = Integration(integrationId: "int0001", integrationType: "HTTP_PROXY")
        integration.integrationMethod = "GET"
        integration.integrationUri = "http://example.com/{proxy}"
        integration.payloadFormatVersion = "1.0"
        document.integrations = [integration]
        document.routes = [Route(routeId: "rte0001", routeKey: "GET /pets/{id}", target: "integrations/int0001")]
        var stage = Stage(stageName: "$default", createdDate: Date(timeIntervalSince1970: 1_700_000_000))
        stage.deploymentId = "dep001"
        document.stages = [stage]
        document.deployments = [Deployment(deploymentId: "dep001", createdDate: Date(timeIntervalSince1970: 1_700_000_001))]
        return document
    }

    static func roundTrip(_ store: any Store) async throws {
        let document = sampleDocument(id: "aaaaaaaaa1")
        let snapshot = DeploymentSnapshot(deploymentId: "dep001", of: document)
        try await store.transaction { tx in
            try tx.putApiDocument(document)
            try tx.putDeploymentSnapshot(snapshot)
        }
        let (readDocument, readSnapshot, all) = try await store.transaction { tx in
            (
                try tx.apiDocument(id: "aaaaaaaaa1"),
                try tx.deploymentSnapshot(apiId: "aaaaaaaaa1", deploymentId: "dep001"),
                try tx.allApiDocuments()
            )
        }
        #expect(readDocument == document)
        #expect(readSnapshot == snapshot)
        #expect(all == [document])
        let missing = try await store.transaction { tx in
            (try tx.apiDocument(id: "zzzzzzzzzz"), try tx.deploymentSnapshot(apiId: "aaaaaaaaa1", deploymentId: "nope00"))
        }
        #expect(missing.0 == nil)
        #expect(missing.1 == nil)

        // Overwrite, then list in id order.
        let renamed = {
            var copy = document
            copy.api.name = "renamed"
            return copy
        }()
        let other = sampleDocument(id: "aaaaaaaaa0")
        try await store.transaction { tx in
            try tx.putApiDocument(renamed)
            try tx.putApiDocument(other)
        }
        let ids = try await store.transaction { tx in try tx.allApiDocuments().map(\.api.apiId) }
        #expect(ids == ["aaaaaaaaa0", "aaaaaaaaa1"])
        let name = try await store.transaction { tx in try tx.apiDocument(id: "aaaaaaaaa1")?.api.name }
        #expect(name == "renamed")

        try await store.transaction { tx in try tx.deleteDeploymentSnapshot(apiId: "aaaaaaaaa1", deploymentId: "dep001") }
        let gone = try await store.transaction { tx in try tx.deploymentSnapshot(apiId: "aaaaaaaaa1", deploymentId: "dep001") }
        #expect(gone == nil)
    }

    static func rollbackOnThrow(_ store: any Store) async throws {
        await #expect(throws: Boom.self) {
            try await store.transaction { tx in
                let document = sampleDocument(id: "bbbbbbbbb1")
                try tx.putApiDocument(document)
                try tx.putDeploymentSnapshot(DeploymentSnapshot(deploymentId: "dep001", of: document))
                throw Boom()
            }
        }
        let (document, snapshot, all) = try await store.transaction { tx in
            (
                try tx.apiDocument(id: "bbbbbbbbb1"),
                try tx.deploymentSnapshot(apiId: "bbbbbbbbb1", deploymentId: "dep001"),
                try tx.allApiDocuments()
            )
        }
        #expect(document == nil)
        #expect(snapshot == nil)
        #expect(all.isEmpty)
    }

    static func changesStream(_ store: any Store) async throws {
        let stream = store.changes()
        var iterator = stream.makeAsyncIterator()
        try await store.transaction { tx in try tx.putApiDocument(sampleDocument(id: "ccccccccc1")) }
        // A read-only transaction and a failed one announce nothing.
        _ = try await store.transaction { tx in try tx.allApiDocuments() }
        _ = try? await store.transaction { tx in
            try tx.putApiDocument(sampleDocument(id: "ccccccccc9"))
            throw Boom()
        }
        try await store.transaction { tx in
            let document = sampleDocument(id: "ccccccccc2")
            try tx.putApiDocument(document)
            try tx.putDeploymentSnapshot(DeploymentSnapshot(deploymentId: "dep001", of: document))
            try tx.deleteApiDocument(id: "ccccccccc1")
        }
        let first = await iterator.next()
        let second = await iterator.next()
        #expect(first == StoreChange(apiIds: ["ccccccccc1"]))
        #expect(second == StoreChange(apiIds: ["ccccccccc1", "ccccccccc2"]))

        // Every stream sees every change.
        let late = store.changes()
        try await store.transaction { tx in try tx.deleteEverything() }
        var lateIterator = late.makeAsyncIterator()
        #expect(await iterator.next() == StoreChange(apiIds: ["ccccccccc2"], everything: true))
        #expect(await lateIterator.next() == StoreChange(apiIds: ["ccccccccc2"], everything: true))
    }

    static func concurrentTransactionsSerialise(_ store: any Store) async throws {
        let id = "ddddddddd1"
        try await store.transaction { tx in try tx.putApiDocument(sampleDocument(id: id, name: "0")) }
        let count = 40
        // Read-modify-write increments: any lost update shows in the final count.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<count {
                group.addTask {
                    try await store.transaction { tx in
                        guard var document = try tx.apiDocument(id: id) else { throw Boom() }
                        document.api.name = String(Int(document.api.name)! + 1)
                        try tx.putApiDocument(document)
                    }
                }
            }
            try await group.waitForAll()
        }
        let final = try await store.transaction { tx in try tx.apiDocument(id: id)?.api.name }
        #expect(final == String(count))
    }

    static func deleteEverything(_ store: any Store) async throws {
        try await store.transaction { tx in
            for index in 0..<3 {
                let document = sampleDocument(id: "eeeeeeeee\(index)")
                try tx.putApiDocument(document)
                try tx.putDeploymentSnapshot(DeploymentSnapshot(deploymentId: "dep001", of: document))
            }
        }
        try await store.transaction { tx in try tx.deleteEverything() }
        let (all, snapshot) = try await store.transaction { tx in
            (try tx.allApiDocuments(), try tx.deploymentSnapshot(apiId: "eeeeeeeee0", deploymentId: "dep001"))
        }
        #expect(all.isEmpty)
        #expect(snapshot == nil)
    }

    static func deleteApiDeletesSnapshots(_ store: any Store) async throws {
        let document = sampleDocument(id: "fffffffff1")
        try await store.transaction { tx in
            try tx.putApiDocument(document)
            try tx.putDeploymentSnapshot(DeploymentSnapshot(deploymentId: "dep001", of: document))
            try tx.deleteApiDocument(id: "fffffffff1")
        }
        let (read, snapshot) = try await store.transaction { tx in
            (try tx.apiDocument(id: "fffffffff1"), try tx.deploymentSnapshot(apiId: "fffffffff1", deploymentId: "dep001"))
        }
        #expect(read == nil)
        #expect(snapshot == nil)
    }
}
