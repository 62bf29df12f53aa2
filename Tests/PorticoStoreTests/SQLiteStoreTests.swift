import Foundation
import PorticoModel
import Testing

@testable import PorticoStore

struct SQLiteStoreTests {
    /// A new empty directory under the system's temporary directory.
    static func temporaryDirectory() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("portico-store-\(UUID().uuidString)")
        return url.path
    }

    @Test(arguments: StoreContract.all)
    func contract(_ check: StoreContractCheck) async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await check.run(SQLiteStore(directory: directory))
    }

    @Test func reopenKeepsData() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let document = StoreContract.sampleDocument(id: "gggggggggg")
        do {
            let store = try SQLiteStore(directory: directory)
            try await store.transaction { tx in
                try tx.putApiDocument(document)
                try tx.putDeploymentSnapshot(DeploymentSnapshot(deploymentId: "dep001", of: document))
            }
        }
        let reopened = try SQLiteStore(directory: directory)
        let (read, snapshot) = try await reopened.transaction { tx in
            (try tx.apiDocument(id: "gggggggggg"), try tx.deploymentSnapshot(apiId: "gggggggggg", deploymentId: "dep001"))
        }
        #expect(read == document)
        #expect(snapshot == DeploymentSnapshot(deploymentId: "dep001", of: document))
    }

    @Test func createsAMissingDirectory() throws {
        let parent = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let store = try SQLiteStore(directory: parent + "/nested/data")
        #expect(FileManager.default.fileExists(atPath: store.path))
        #expect(store.path.hasSuffix("/nested/data/portico.sqlite"))
    }

    @Test func directoryThatIsAFileIsRefusedByName() throws {
        let file = Self.temporaryDirectory()
        _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let error = #expect(throws: StoreError.self) { try SQLiteStore(directory: file) }
        #expect(error?.message.contains(file) == true)
        #expect(error?.message.contains("not a directory") == true)
    }

    @Test func uncreatableDirectoryIsRefusedByName() throws {
        let file = Self.temporaryDirectory()
        _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let error = #expect(throws: StoreError.self) { try SQLiteStore(directory: file + "/below-a-file") }
        #expect(error?.message.contains(file + "/below-a-file") == true)
    }

    @Test func corruptFileIsRefusedByName() throws {
        let directory = Self.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/" + SQLiteStore.fileName
        _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x5A, count: 8192))
        let error = #expect(throws: StoreError.self) { try SQLiteStore(directory: directory) }
        #expect(error?.message.contains(path) == true)
    }

    @Test func usesWALAndTheDocumentedTables() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(directory: directory)
        try await store.transaction { tx in try tx.putApiDocument(StoreContract.sampleDocument(id: "hhhhhhhhhh")) }
        #expect(FileManager.default.fileExists(atPath: store.path + "-wal"))
    }
}
