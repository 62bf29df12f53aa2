/// The tree of an exported OpenAPI definition: JSON's values with object members kept in the order
/// they were added, so output is stable and reads in AWS's order (`openapi`, `info`, `servers`, `paths`, ...).
indirect enum ExportValue: Sendable, Equatable {
    struct Member: Sendable, Equatable {
        var key: String
        var value: ExportValue
    }

    case string(String)
    case integer(Int)
    case boolean(Bool)
    /// A JSON number kept as its text (`3.5`, `1e3`): JSON Schemas in REST API models carry them.
    case number(String)
    case null
    case array([ExportValue])
    case object([Member])

    /// An object from members, skipping those whose value is `nil`.
    static func object(_ members: [(String, ExportValue?)]) -> ExportValue {
        .object(members.compactMap { key, value in value.map { Member(key: key, value: $0) } })
    }

    /// An object from a dictionary, its keys sorted.
    static func sortedObject(_ dictionary: [String: String]) -> ExportValue {
        .object(dictionary.keys.sorted().compactMap { key in dictionary[key].map { Member(key: key, value: .string($0)) } })
    }

    static func strings(_ values: [String]?) -> ExportValue? {
        values.map { .array($0.map(ExportValue.string)) }
    }
}
