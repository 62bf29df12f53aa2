import GRDB
import PorticoModel

/// REST API documents and REST deployment snapshots, in their own two tables.
extension SQLiteTransaction {
    func restApiDocument(id: String) throws -> RestApiDocument? {
        guard
            let text = try String.fetchOne(
                db, sql: "SELECT document FROM rest_api_documents WHERE rest_api_id = ?", arguments: [id])
        else { return nil }
        return try decode(RestApiDocument.self, from: text, what: "REST API document \(id)")
    }

    func allRestApiDocuments() throws -> [RestApiDocument] {
        let rows = try Row.fetchAll(db, sql: "SELECT rest_api_id, document FROM rest_api_documents ORDER BY rest_api_id")
        return try rows.map { row in
            let id: String = row["rest_api_id"]
            let text: String = row["document"]
            return try decode(RestApiDocument.self, from: text, what: "REST API document \(id)")
        }
    }

    func putRestApiDocument(_ document: RestApiDocument) throws {
        try db.execute(
            sql: """
                INSERT INTO rest_api_documents (rest_api_id, document) VALUES (?, ?)
                ON CONFLICT(rest_api_id) DO UPDATE SET document = excluded.document
                """,
            arguments: [document.restApi.id, try encode(document)])
        touchedRestApiIds.insert(document.restApi.id)
    }

    func deleteRestApiDocument(id: String) throws {
        try db.execute(sql: "DELETE FROM rest_api_documents WHERE rest_api_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM rest_deployment_snapshots WHERE rest_api_id = ?", arguments: [id])
        touchedRestApiIds.insert(id)
    }

    func restDeploymentSnapshot(restApiId: String, deploymentId: String) throws -> RestDeploymentSnapshot? {
        guard
            let text = try String.fetchOne(
                db, sql: "SELECT snapshot FROM rest_deployment_snapshots WHERE rest_api_id = ? AND deployment_id = ?",
                arguments: [restApiId, deploymentId])
        else { return nil }
        return try decode(RestDeploymentSnapshot.self, from: text, what: "REST deployment snapshot \(restApiId)/\(deploymentId)")
    }

    func putRestDeploymentSnapshot(_ snapshot: RestDeploymentSnapshot) throws {
        try db.execute(
            sql: """
                INSERT INTO rest_deployment_snapshots (rest_api_id, deployment_id, snapshot) VALUES (?, ?, ?)
                ON CONFLICT(rest_api_id, deployment_id) DO UPDATE SET snapshot = excluded.snapshot
                """,
            arguments: [snapshot.restApiId, snapshot.deploymentId, try encode(snapshot)])
        touchedRestApiIds.insert(snapshot.restApiId)
    }

    func deleteRestDeploymentSnapshot(restApiId: String, deploymentId: String) throws {
        try db.execute(
            sql: "DELETE FROM rest_deployment_snapshots WHERE rest_api_id = ? AND deployment_id = ?",
            arguments: [restApiId, deploymentId])
        touchedRestApiIds.insert(restApiId)
    }
}
