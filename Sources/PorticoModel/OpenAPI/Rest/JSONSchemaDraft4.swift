/// Turns an OpenAPI schema object into the JSON Schema draft 4 that REST API models hold.
///
/// OpenAPI's schema object is a dialect of draft 4 (Swagger 2.0) or of draft 5 (OpenAPI 3.0):
/// the keywords draft 4 does not know are dropped (`discriminator`, `readOnly`, `writeOnly`, `xml`,
/// `externalDocs`, `example`, `deprecated`), and OpenAPI 3.0's `nullable: true` becomes a `null` member
/// of `type`. Only schema positions are walked (`properties` values, `items`, `allOf`...), so a
/// property that happens to be called `example` stays.
enum JSONSchemaDraft4 {
    private static let dropped: Set<String> = ["discriminator", "readOnly", "writeOnly", "xml", "externalDocs", "example", "deprecated", "nullable"]
    private static let schemaMaps: Set<String> = ["properties", "patternProperties", "definitions"]
    private static let schemaLists: Set<String> = ["allOf", "anyOf", "oneOf"]
    private static let schemaValues: Set<String> = ["items", "additionalProperties", "not"]

    static func converted(_ schema: ExportValue) -> ExportValue {
        guard case .object(let members) = schema else { return schema }
        let nullable = members.contains { $0.key == "nullable" && $0.value == .boolean(true) }
        var result: [ExportValue.Member] = []
        for member in members where !dropped.contains(member.key) {
            var value = member.value
            if schemaValues.contains(member.key) {
                value = converted(value)
            } else if schemaLists.contains(member.key), case .array(let elements) = value {
                value = .array(elements.map(converted))
            } else if schemaMaps.contains(member.key), case .object(let entries) = value {
                value = .object(entries.map { ExportValue.Member(key: $0.key, value: converted($0.value)) })
            } else if member.key == "type", nullable, case .string(let type) = value {
                value = .array([.string(type), .string("null")])
            }
            result.append(ExportValue.Member(key: member.key, value: value))
        }
        return .object(result)
    }
}
