import GRDB
import PorticoModel

/// API keys and usage plans (one JSON document each) and the usage history (`usage_counts`, one integer row per
/// plan, key and UTC day).
extension SQLiteTransaction {
    func apiKey(id: String) throws -> ApiKey? {
        try JSONTable.apiKeys.read(ApiKey.self, keys: [id], in: db)
    }

    func allApiKeys() throws -> [ApiKey] {
        try JSONTable.apiKeys.readAll(ApiKey.self, in: db)
    }

    func putApiKey(_ key: ApiKey) throws {
        try JSONTable.apiKeys.write(key, keys: [key.id], in: db)
        touchedUsagePlans = true
    }

    func deleteApiKey(id: String) throws {
        try JSONTable.apiKeys.delete(keys: [id], in: db)
        touchedUsagePlans = true
    }

    func usagePlan(id: String) throws -> UsagePlanDocument? {
        try JSONTable.usagePlans.read(UsagePlanDocument.self, keys: [id], in: db)
    }

    func allUsagePlans() throws -> [UsagePlanDocument] {
        try JSONTable.usagePlans.readAll(UsagePlanDocument.self, in: db)
    }

    func putUsagePlan(_ document: UsagePlanDocument) throws {
        try JSONTable.usagePlans.write(document, keys: [document.plan.id], in: db)
        touchedUsagePlans = true
    }

    func deleteUsagePlan(id: String) throws {
        try JSONTable.usagePlans.delete(keys: [id], in: db)
        try db.execute(sql: "DELETE FROM usage_counts WHERE usage_plan_id = ?", arguments: [id])
        touchedUsagePlans = true
    }

    func usage(usagePlanId: String, keyId: String?, from: String, to: String) throws -> [UsageRecord] {
        var sql = "SELECT key_id, day, used FROM usage_counts WHERE usage_plan_id = ? AND day >= ? AND day <= ?"
        var arguments: StatementArguments = [usagePlanId, from, to]
        if let keyId {
            sql += " AND key_id = ?"
            arguments += [keyId]
        }
        sql += " ORDER BY key_id, day"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            UsageRecord(usagePlanId: usagePlanId, keyId: row["key_id"], day: row["day"], used: row["used"])
        }
    }

    func addUsage(_ records: [UsageRecord]) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO usage_counts (usage_plan_id, key_id, day, used) VALUES (?, ?, ?, ?)
                ON CONFLICT(usage_plan_id, key_id, day) DO UPDATE SET used = used + excluded.used
                """)
        for record in records where record.used != 0 {
            try statement.execute(arguments: [record.usagePlanId, record.keyId, record.day, record.used])
        }
    }
}
