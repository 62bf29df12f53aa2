import Foundation
import PorticoModel
import PorticoStore

/// ImportApiKeys (`POST /apikeys?mode=import&format=csv[&failonwarnings=true]`), as AWS's "API key file format"
/// describes it: a CSV file whose header names the columns in any order and any case; `Name` and `Key` are
/// required, `Description`, `Enabled` (default true) and `UsagePlanIds` (a quoted, comma-separated list) are
/// optional, other columns are ignored. A key value already stored is overwritten by the imported row. Rows that
/// cannot be imported become warnings; with `failonwarnings=true` any warning refuses the whole import.
/// The warning wordings are Portico's (not recorded against AWS).
enum ApiKeyImport {
    struct Result: Encodable {
        var ids: [String]
        var warnings: [String]
    }

    struct Row {
        var line: Int
        var name: String
        var value: String
        var description: String?
        var enabled: Bool
        var usagePlanIds: [String]
    }

    @Sendable static func importApiKeys(_ context: OperationContext) async throws -> ManagementResponse {
        let query = try context.query()
        guard query.first("mode") == "import" else { throw APIError.badRequest("Invalid mode specified: \(query.first("mode") ?? "")") }
        guard let format = query.first("format") else { throw APIError.badRequest("Format must be specified") }
        guard format.lowercased() == "csv" else { throw APIError.badRequest("Invalid format specified: \(format)") }
        let failOnWarnings = try query.bool("failonwarnings") ?? false
        guard let text = String(bytes: context.request.body, encoding: .utf8) else {
            throw APIError.badRequest("The API key file is not UTF-8 text")
        }
        let (rows, parseWarnings) = try parse(text)
        var warnings = parseWarnings
        if failOnWarnings, !warnings.isEmpty { throw APIError.badRequest(warnings.joined(separator: "; ")) }
        let now = context.now
        let result = try await context.transaction { transaction in
            var ids: [String] = []
            var all = try transaction.allApiKeys()
            var plans = Dictionary(uniqueKeysWithValues: try transaction.allUsagePlans().map { ($0.plan.id, $0) })
            var planWarnings: [String] = []
            for row in rows {
                for planId in row.usagePlanIds where plans[planId] == nil {
                    planWarnings.append("Invalid usage plan id \(planId) at line \(row.line)")
                }
            }
            if failOnWarnings, !planWarnings.isEmpty { throw APIError.badRequest(planWarnings.joined(separator: "; ")) }
            for row in rows {
                var key: ApiKey
                if let index = all.firstIndex(where: { $0.value == row.value }) {
                    key = all[index]
                    key.lastUpdatedDate = now
                } else {
                    var id = Identifier.random(length: ApiKey.idLength)
                    while all.contains(where: { $0.id == id }) { id = Identifier.random(length: ApiKey.idLength) }
                    key = ApiKey(id: id, value: row.value, name: row.name, enabled: row.enabled, createdDate: now)
                }
                key.name = row.name
                key.description = row.description
                key.enabled = row.enabled
                try transaction.putApiKey(key)
                all.removeAll { $0.id == key.id }
                all.append(key)
                ids.append(key.id)
                for planId in row.usagePlanIds {
                    guard var plan = plans[planId] else { continue }
                    if !plan.keyIds.contains(key.id) {
                        plan.keyIds.append(key.id)
                        plans[planId] = plan
                        try transaction.putUsagePlan(plan)
                    }
                }
            }
            return Result(ids: ids, warnings: planWarnings)
        }
        warnings.append(contentsOf: result.warnings)
        return try .restJSON(201, Result(ids: result.ids, warnings: warnings))
    }

    /// The rows that can be imported and a warning for each that cannot.
    static func parse(_ text: String) throws(APIError) -> ([Row], [String]) {
        let records = csvRecords(text)
        guard let header = records.first else { throw APIError.badRequest("The API key file is empty") }
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let nameColumn = columns.firstIndex(of: "name"), let keyColumn = columns.firstIndex(of: "key") else {
            throw APIError.badRequest("The API key file must have a Name and a Key column")
        }
        let descriptionColumn = columns.firstIndex(of: "description")
        let enabledColumn = columns.firstIndex(of: "enabled")
        let plansColumn = columns.firstIndex(of: "usageplanids")
        var rows: [Row] = []
        var warnings: [String] = []
        for (index, record) in records.dropFirst().enumerated() {
            let line = index + 2
            if record.count == 1, record[0].isEmpty { continue }
            func field(_ column: Int?) -> String? {
                guard let column, column < record.count else { return nil }
                return record[column]
            }
            let name = field(nameColumn) ?? ""
            let value = field(keyColumn) ?? ""
            guard ApiKey.valueLengths.contains(value.count) else {
                warnings.append("Invalid API key value at line \(line): it must be between 20 and 128 characters")
                continue
            }
            guard name.count <= 1024 else {
                warnings.append("Invalid API key name at line \(line): it must be at most 1024 characters")
                continue
            }
            var enabled = true
            if let text = field(enabledColumn), !text.isEmpty {
                switch text.lowercased() {
                case "true": enabled = true
                case "false": enabled = false
                default:
                    warnings.append("Invalid Enabled value at line \(line): \(text)")
                    continue
                }
            }
            let plans = (field(plansColumn) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            let description = field(descriptionColumn).flatMap { $0.isEmpty ? nil : $0 }
            rows.append(Row(line: line, name: name, value: value, description: description, enabled: enabled, usagePlanIds: plans))
        }
        return (rows, warnings)
    }

    /// RFC 4180 records, with single quotes accepted as well as double quotes (AWS's format allows both around
    /// `UsagePlanIds`). Line ends may be `\n` or `\r\n`.
    static func csvRecords(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quote: Character? = nil
        var atFieldStart = true
        var iterator = Array(text).makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if let open = quote {
                if character == open {
                    if let next = iterator.next() {
                        if next == open { field.append(open) } else { quote = nil; pending = next }
                    } else {
                        quote = nil
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where atFieldStart, "'" where atFieldStart:
                quote = character
                atFieldStart = false
            case ",":
                record.append(field)
                field = ""
                atFieldStart = true
            case "\n", "\r\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
                atFieldStart = true
            case "\r":
                continue
            default:
                field.append(character)
                atFieldStart = false
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }
}
