import Foundation
import GRDB
import PorticoModel

/// A ``StoreTransaction`` over one GRDB write transaction, reading and writing the
/// ``JSONTable``s. It remembers which APIs it touched so that the store can announce them once
/// the transaction commits. REST APIs are in `SQLiteTransaction+RestApis.swift`, Lambda functions in
/// `SQLiteTransaction+LambdaFunctions.swift`.
final class SQLiteTransaction: StoreTransaction {
    let db: Database
    private var touchedApiIds: Set<String> = []
    var touchedRestApiIds: Set<String> = []
    var touchedFunctionNames: Set<String> = []
    var touchedUsagePlans = false
    var touchedIamUsers = false
    private var deletedEverything = false

    init(db: Database) {
        self.db = db
    }

    /// What to announce after commit, or `nil` when nothing was written.
    var change: StoreChange? {
        guard
            deletedEverything || !touchedApiIds.isEmpty || !touchedRestApiIds.isEmpty || !touchedFunctionNames.isEmpty
                || touchedUsagePlans || touchedIamUsers
        else { return nil }
        return StoreChange(
            apiIds: touchedApiIds, restApiIds: touchedRestApiIds, functionNames: touchedFunctionNames,
            usagePlans: touchedUsagePlans, everything: deletedEverything, iamUsers: touchedIamUsers)
    }

    func apiDocument(id: String) throws -> ApiDocument? {
        try JSONTable.apiDocuments.read(ApiDocument.self, keys: [id], in: db)
    }

    func allApiDocuments() throws -> [ApiDocument] {
        try JSONTable.apiDocuments.readAll(ApiDocument.self, in: db)
    }

    func putApiDocument(_ document: ApiDocument) throws {
        try JSONTable.apiDocuments.write(document, keys: [document.api.apiId], in: db)
        touchedApiIds.insert(document.api.apiId)
    }

    func deleteApiDocument(id: String) throws {
        try JSONTable.apiDocuments.delete(keys: [id], in: db)
        try JSONTable.deploymentSnapshots.delete(keys: [id], in: db)
        touchedApiIds.insert(id)
    }

    func deploymentSnapshot(apiId: String, deploymentId: String) throws -> DeploymentSnapshot? {
        try JSONTable.deploymentSnapshots.read(DeploymentSnapshot.self, keys: [apiId, deploymentId], in: db)
    }

    func putDeploymentSnapshot(_ snapshot: DeploymentSnapshot) throws {
        try JSONTable.deploymentSnapshots.write(snapshot, keys: [snapshot.apiId, snapshot.deploymentId], in: db)
        touchedApiIds.insert(snapshot.apiId)
    }

    func deleteDeploymentSnapshot(apiId: String, deploymentId: String) throws {
        try JSONTable.deploymentSnapshots.delete(keys: [apiId, deploymentId], in: db)
        touchedApiIds.insert(apiId)
    }

    func deleteEverything() throws {
        touchedApiIds.formUnion(try JSONTable.apiDocuments.deleteAll(in: db))
        touchedApiIds.formUnion(try JSONTable.deploymentSnapshots.deleteAll(in: db))
        touchedRestApiIds.formUnion(try JSONTable.restApiDocuments.deleteAll(in: db))
        touchedRestApiIds.formUnion(try JSONTable.restDeploymentSnapshots.deleteAll(in: db))
        touchedFunctionNames.formUnion(try JSONTable.lambdaFunctions.deleteAll(in: db))
        // `everything` tells the reloader that keys and plans went too.
        _ = try JSONTable.apiKeys.deleteAll(in: db)
        _ = try JSONTable.usagePlans.deleteAll(in: db)
        try db.execute(sql: "DELETE FROM usage_counts")
        touchedIamUsers = !(try JSONTable.iamUsers.deleteAll(in: db)).isEmpty
        if !(try JSONTable.iamRoles.deleteAll(in: db)).isEmpty { touchedIamUsers = true }
        deletedEverything = true
    }
}
