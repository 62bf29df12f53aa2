/// One way a value breaks a schema. Built only by ``JSONSchema/validate(_:)``;
/// ``JSONSchema/isValid(_:)`` builds none.
public struct ValidationFailure: Sendable, Equatable, CustomStringConvertible {
    /// The keyword that failed (`"required"`, `"enum"`, `"maximum"`…).
    public var keyword: String
    /// A JSON pointer to the failing part of the value (`""` for the value itself, `"/items/0/price"`).
    public var instancePath: String
    /// A JSON pointer to the schema object holding the keyword (`"#/properties/price"`).
    public var schemaPath: String
    /// What went wrong, worded after the validator AWS's messages come from (see docs/SCHEMA.md).
    public var message: String

    public init(keyword: String, instancePath: String, schemaPath: String, message: String) {
        self.keyword = keyword
        self.instancePath = instancePath
        self.schemaPath = schemaPath
        self.message = message
    }

    public var description: String { "\(instancePath.isEmpty ? "/" : instancePath): \(message)" }
}
