/// Why a schema could not be compiled: the keyword at fault, where it is (a JSON pointer into the
/// schema, prefixed by the model's name when the fault is in a referenced model) and what is wrong.
public struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The keyword whose value is wrong (`"type"`, `"$ref"`, `"pattern"`…), or `""` for the schema itself.
    public var keyword: String
    /// A JSON pointer to the schema object holding the keyword (`"#/properties/price"`).
    public var pointer: String
    public var reason: String

    public init(keyword: String, pointer: String, reason: String) {
        self.keyword = keyword
        self.pointer = pointer
        self.reason = reason
    }

    public var description: String {
        keyword.isEmpty ? "\(pointer): \(reason)" : "\(pointer): \(keyword): \(reason)"
    }
}
