import GRDB
import PorticoModel

/// REST API documents and REST deployment snapshots, in their own two tables.
extension SQLiteTransaction {
    func restApiDocument(id: String) throws -> RestApiDocument? {
        try JSONTable.restApiDocuments.read(RestApiDocument.self, keys: [id], in: db)
    }

    func allRestApiDocuments() throws -> [RestApiDocument] {
        try JSONTable.restApiDocuments.readAll(RestApiDocument.self, in: db)
    }

    func putRestApiDocument(_ document: RestApiDocument) throws {
        try JSONTable.restApiDocuments.write(document, keys: [document.id], in: db)
        touchedRestApiIds.insert(document.id)
    }

    func deleteRestApiDocument(id: String) throws {
        try JSONTable.restApiDocuments.delete(keys: [id], in: db)
        try JSONTable.restDeploymentSnapshots.delete(keys: [id], in: db)
        touchedRestApiIds.insert(id)
    }

    func restDeploymentSnapshot(restApiId: String, deploymentId: String) throws -> RestDeploymentSnapshot? {
        try JSONTable.restDeploymentSnapshots.read(RestDeploymentSnapshot.self, keys: [restApiId, deploymentId], in: db)
    }

    func putRestDeploymentSnapshot(_ snapshot: RestDeploymentSnapshot) throws {
        try JSONTable.restDeploymentSnapshots.write(snapshot, keys: [snapshot.restApiId, snapshot.deploymentId], in: db)
        touchedRestApiIds.insert(snapshot.restApiId)
    }

    func deleteRestDeploymentSnapshot(restApiId: String, deploymentId: String) throws {
        try JSONTable.restDeploymentSnapshots.delete(keys: [restApiId, deploymentId], in: db)
        touchedRestApiIds.insert(restApiId)
    }
}
