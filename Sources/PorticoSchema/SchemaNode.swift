import PorticoModel

/// One compiled schema object. Nodes live in one array per ``JSONSchema`` and name each other by
/// index, so `$ref` cycles are plain back-edges.
///
/// A class so that validation reads keywords through one reference instead of copying a node per
/// step. `@unchecked Sendable`: only ``SchemaCompiler`` writes the members, before the node is
/// published in a ``SchemaProgram``; after that it is read-only.
final class SchemaNode: @unchecked Sendable {
    /// Draft 4: a schema with `$ref` is replaced by its target; sibling keywords are ignored.
    var ref: Int?
    /// Where the schema object is, for failures and errors (`#/properties/a`, `Pet#/definitions/b`).
    var location: String

    var types = TypeSet.any
    var enumValues: [JSONValue]?

    var minimum: Bound?
    var maximum: Bound?
    var multipleOf: JSONNumber?

    var minLength: Int?
    var maxLength: Int?
    var pattern: Pattern?
    var format: Format?

    var items = Items.any
    var additionalItems = Additional.allowed
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false

    var properties: [String: Int] = [:]
    var patternProperties: [(Pattern, Int)] = []
    var additionalProperties = Additional.allowed
    var required: [String] = []
    var minProperties: Int?
    var maxProperties: Int?
    var dependencies: [(String, Dependency)] = []

    var allOf: [Int] = []
    var anyOf: [Int] = []
    var oneOf: [Int] = []
    var not: Int?

    /// Whether any keyword applies to objects, arrays, strings or numbers; lets validation skip groups.
    var checksObjects = false
    var checksArrays = false
    var checksStrings = false
    var checksNumbers = false

    init(location: String) {
        self.location = location
    }

    struct Bound: Sendable {
        var limit: JSONNumber
        var exclusive: Bool
    }

    enum Items: Sendable {
        case any
        case all(Int)
        case tuple([Int])
    }

    enum Additional: Sendable {
        case allowed
        case forbidden
        case schema(Int)
    }

    enum Dependency: Sendable {
        case properties([String])
        case schema(Int)
    }
}

/// The `type` keyword as a bit set.
struct TypeSet: OptionSet, Sendable {
    let rawValue: UInt8
    static let null = TypeSet(rawValue: 1 << 0)
    static let boolean = TypeSet(rawValue: 1 << 1)
    static let integer = TypeSet(rawValue: 1 << 2)
    static let number = TypeSet(rawValue: 1 << 3)
    static let string = TypeSet(rawValue: 1 << 4)
    static let array = TypeSet(rawValue: 1 << 5)
    static let object = TypeSet(rawValue: 1 << 6)
    static let any = TypeSet(rawValue: 0x7F)

    static let names: [(String, TypeSet)] = [
        ("array", .array), ("boolean", .boolean), ("integer", .integer), ("null", .null), ("number", .number),
        ("object", .object), ("string", .string),
    ]

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init?(name: String) {
        guard let entry = Self.names.first(where: { $0.0 == name }) else { return nil }
        self = entry.1
    }

    /// The primitive type of a value as draft 4 names it; `number` values with no fraction count as integers.
    static func of(_ value: JSONValue) -> TypeSet {
        switch value {
        case .null: .null
        case .bool: .boolean
        case .integer: .integer
        case .number(let number): number.rounded(.towardZero) == number && number.isFinite ? .integer : .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }

    /// Whether a value of primitive type `type` (from ``of(_:)``) is allowed; integers are numbers.
    func admits(_ type: TypeSet) -> Bool {
        if contains(type) { return true }
        return type == .integer && contains(.number)
    }

    var listText: String {
        "[" + Self.names.filter { contains($0.1) }.map { "\"\($0.0)\"" }.joined(separator: ",") + "]"
    }

    var name: String { Self.names.first { $0.1 == self }?.0 ?? "any" }
}
