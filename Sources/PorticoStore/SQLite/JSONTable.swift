import Foundation
import GRDB
import PorticoModel

/// A table of JSON values keyed by text columns, the shape of all the store's tables: one document
/// per API (`api_documents`, `rest_api_documents`), one snapshot per API and deployment
/// (`deployment_snapshots`, `rest_deployment_snapshots`) and one document per Lambda function
/// (`lambda_functions`).
struct JSONTable: Sendable {
    var name: String
    /// The key columns, outermost first (the API id, then the deployment id).
    var keys: [String]
    var value: String
    /// What one row is called in a decoding error ("API document").
    var what: String

    static let apiDocuments = JSONTable(name: "api_documents", keys: ["api_id"], value: "document", what: "API document")
    static let deploymentSnapshots = JSONTable(
        name: "deployment_snapshots", keys: ["api_id", "deployment_id"], value: "snapshot", what: "deployment snapshot")
    static let restApiDocuments = JSONTable(
        name: "rest_api_documents", keys: ["rest_api_id"], value: "document", what: "REST API document")
    static let restDeploymentSnapshots = JSONTable(
        name: "rest_deployment_snapshots", keys: ["rest_api_id", "deployment_id"], value: "snapshot", what: "REST deployment snapshot")
    static let lambdaFunctions = JSONTable(
        name: "lambda_functions", keys: ["function_name"], value: "document", what: "Lambda function")
    static let iamUsers = JSONTable(name: "iam_users", keys: ["user_name"], value: "document", what: "IAM user")
    static let iamRoles = JSONTable(name: "iam_roles", keys: ["role_name"], value: "document", what: "IAM role")

    static let apiKeys = JSONTable(name: "api_keys", keys: ["key_id"], value: "document", what: "API key")
    static let usagePlans = JSONTable(name: "usage_plans", keys: ["usage_plan_id"], value: "document", what: "usage plan")

    /// `a = ? AND b = ?` for the first `count` key columns.
    private func condition(_ count: Int) -> String {
        keys.prefix(count).map { "\($0) = ?" }.joined(separator: " AND ")
    }

    func read<T: Decodable>(_ type: T.Type, keys values: [String], in db: Database) throws -> T? {
        guard
            let text = try String.fetchOne(
                db, sql: "SELECT \(value) FROM \(name) WHERE \(condition(values.count))", arguments: StatementArguments(values))
        else { return nil }
        return try Self.decode(type, from: text, what: "\(what) \(values.joined(separator: "/"))")
    }

    /// Every row, in key order.
    func readAll<T: Decodable>(_ type: T.Type, in db: Database) throws -> [T] {
        let key = keys[0]
        let rows = try Row.fetchAll(db, sql: "SELECT \(key), \(value) FROM \(name) ORDER BY \(key)")
        return try rows.map { row in
            let id: String = row[key]
            let text: String = row[value]
            return try Self.decode(type, from: text, what: "\(what) \(id)")
        }
    }

    func write(_ item: some Encodable, keys values: [String], in db: Database) throws {
        let text = String(decoding: try JSONCoding.encoder().encode(item), as: UTF8.self)
        let columns = keys.joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: keys.count + 1).joined(separator: ", ")
        try db.execute(
            sql: """
                INSERT INTO \(name) (\(columns), \(value)) VALUES (\(placeholders))
                ON CONFLICT(\(columns)) DO UPDATE SET \(value) = excluded.\(value)
                """,
            arguments: StatementArguments(values + [text]))
    }

    /// Deletes the rows matching the leading key columns given (all of an API's snapshots with one key).
    func delete(keys values: [String], in db: Database) throws {
        try db.execute(sql: "DELETE FROM \(name) WHERE \(condition(values.count))", arguments: StatementArguments(values))
    }

    /// Every distinct outermost key, then deletes every row.
    func deleteAll(in db: Database) throws -> [String] {
        let ids = try String.fetchAll(db, sql: "SELECT DISTINCT \(keys[0]) FROM \(name)")
        try db.execute(sql: "DELETE FROM \(name)")
        return ids
    }

    private static func decode<T: Decodable>(_ type: T.Type, from text: String, what: String) throws -> T {
        do {
            return try JSONCoding.decoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError("The stored \(what) does not decode: \(error)")
        }
    }
}
