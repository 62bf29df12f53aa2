import Foundation
import GRDB
import PorticoModel

/// A ``StoreTransaction`` over one GRDB write transaction. It remembers which APIs it touched so
/// that the store can announce them once the transaction commits. REST APIs are in
/// `SQLiteTransaction+RestApis.swift`.
final class SQLiteTransaction: StoreTransaction {
    let db: Database
    private var touchedApiIds: Set<String> = []
    var touchedRestApiIds: Set<String> = []
    private var deletedEverything = false

    init(db: Database) {
        self.db = db
    }

    /// What to announce after commit, or `nil` when nothing was written.
    var change: StoreChange? {
        guard deletedEverything || !touchedApiIds.isEmpty || !touchedRestApiIds.isEmpty else { return nil }
        return StoreChange(apiIds: touchedApiIds, restApiIds: touchedRestApiIds, everything: deletedEverything)
    }

    func apiDocument(id: String) throws -> ApiDocument? {
        guard let text = try String.fetchOne(db, sql: "SELECT document FROM api_documents WHERE api_id = ?", arguments: [id])
        else { return nil }
        return try decode(ApiDocument.self, from: text, what: "API document \(id)")
    }

    func allApiDocuments() throws -> [ApiDocument] {
        let rows = try Row.fetchAll(db, sql: "SELECT api_id, document FROM api_documents ORDER BY api_id")
        return try rows.map { row in
            let id: String = row["api_id"]
            let text: String = row["document"]
            return try decode(ApiDocument.self, from: text, what: "API document \(id)")
        }
    }

    func putApiDocument(_ document: ApiDocument) throws {
        let text = try encode(document)
        try db.execute(
            sql: """
                INSERT INTO api_documents (api_id, document) VALUES (?, ?)
                ON CONFLICT(api_id) DO UPDATE SET document = excluded.document
                """,
            arguments: [document.api.apiId, text])
        touchedApiIds.insert(document.api.apiId)
    }

    func deleteApiDocument(id: String) throws {
        try db.execute(sql: "DELETE FROM api_documents WHERE api_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM deployment_snapshots WHERE api_id = ?", arguments: [id])
        touchedApiIds.insert(id)
    }

    func deploymentSnapshot(apiId: String, deploymentId: String) throws -> DeploymentSnapshot? {
        guard
            let text = try String.fetchOne(
                db, sql: "SELECT snapshot FROM deployment_snapshots WHERE api_id = ? AND deployment_id = ?",
                arguments: [apiId, deploymentId])
        else { return nil }
        return try decode(DeploymentSnapshot.self, from: text, what: "deployment snapshot \(apiId)/\(deploymentId)")
    }

    func putDeploymentSnapshot(_ snapshot: DeploymentSnapshot) throws {
        let text = try encode(snapshot)
        try db.execute(
            sql: """
                INSERT INTO deployment_snapshots (api_id, deployment_id, snapshot) VALUES (?, ?, ?)
                ON CONFLICT(api_id, deployment_id) DO UPDATE SET snapshot = excluded.snapshot
                """,
            arguments: [snapshot.apiId, snapshot.deploymentId, text])
        touchedApiIds.insert(snapshot.apiId)
    }

    func deleteDeploymentSnapshot(apiId: String, deploymentId: String) throws {
        try db.execute(
            sql: "DELETE FROM deployment_snapshots WHERE api_id = ? AND deployment_id = ?",
            arguments: [apiId, deploymentId])
        touchedApiIds.insert(apiId)
    }

    func deleteEverything() throws {
        let ids = try String.fetchAll(
            db, sql: "SELECT api_id FROM api_documents UNION SELECT api_id FROM deployment_snapshots")
        let restIds = try String.fetchAll(
            db, sql: "SELECT rest_api_id FROM rest_api_documents UNION SELECT rest_api_id FROM rest_deployment_snapshots")
        try db.execute(
            sql: """
                DELETE FROM api_documents; DELETE FROM deployment_snapshots;
                DELETE FROM rest_api_documents; DELETE FROM rest_deployment_snapshots;
                """)
        touchedApiIds.formUnion(ids)
        touchedRestApiIds.formUnion(restIds)
        deletedEverything = true
    }

    // MARK: - JSON

    func encode(_ value: some Encodable) throws -> String {
        let data = try JSONCoding.encoder().encode(value)
        return String(decoding: data, as: UTF8.self)
    }

    func decode<T: Decodable>(_ type: T.Type, from text: String, what: String) throws -> T {
        do {
            return try JSONCoding.decoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError("The stored \(what) does not decode: \(error)")
        }
    }
}
