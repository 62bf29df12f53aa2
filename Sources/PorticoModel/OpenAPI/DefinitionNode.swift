import Foundation
import Yams

/// A node of a parsed OpenAPI definition together with the field path that names it in error
/// messages (`paths./pets.get.x-amazon-apigateway-integration`) and the line it starts on.
///
/// Every accessor checks the node's kind and throws a `BadRequestException` naming the field and
/// the line, so readers never need to force-unwrap or guess. Scalars are read by their text, so
/// `payloadFormatVersion: 1.0` reads as the string `"1.0"` (not the number 1) and `timeoutInMillis: "5000"`
/// reads as 5000, as AWS's importer coerces scalars.
struct DefinitionNode {
    /// An entry of a mapping: its key, the line the key is on, and its value.
    struct Entry {
        var key: String
        var keyLine: Int
        var value: DefinitionNode
    }

    let node: Node
    let path: String

    init(_ node: Node, path: String) {
        self.node = node
        self.path = path
    }

    /// The line the node starts on (1-based).
    var line: Int { node.mark?.line ?? 1 }

    /// Whether the node is YAML/JSON `null` (`null`, `~` or empty), which readers treat as absent.
    var isNull: Bool {
        guard case .scalar = node else { return false }
        return node.tag.rawValue == Tag.Name.null.rawValue
    }

    /// Whether the node is a scalar YAML reads as a string (quoted, or plain text that is not a
    /// number, boolean or null): `"true"` is one, `true` is not.
    var isString: Bool {
        guard case .scalar = node else { return false }
        return node.tag.rawValue == Tag.Name.str.rawValue
    }

    /// The text of a non-null scalar, or `nil` for anything else.
    var scalarText: String? {
        guard case .scalar(let scalar) = node, !isNull else { return nil }
        return scalar.string
    }

    var kindDescription: String {
        switch node {
        case .scalar: isNull ? "null" : "a scalar value"
        case .mapping: "a mapping (object)"
        case .sequence: "a sequence (array)"
        case .alias: "an alias"
        }
    }

    func fail(_ problem: String) -> APIError {
        .invalidOpenAPI(path.isEmpty ? "document root" : path, line: line, problem)
    }

    func childPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    // MARK: Scalars

    func string() throws(APIError) -> String {
        guard let text = scalarText else { throw fail("expected a string, found \(kindDescription)") }
        return text
    }

    func integer(in range: ClosedRange<Int>) throws(APIError) -> Int {
        let expectation = "expected an integer between \(range.lowerBound) and \(range.upperBound)"
        guard let text = scalarText, let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value)
        else { throw fail(expectation) }
        return value
    }

    func boolean() throws(APIError) -> Bool {
        switch scalarText?.lowercased() {
        case "true": return true
        case "false": return false
        default: throw fail("expected a boolean (true or false), found \(scalarText.map { "'\($0)'" } ?? kindDescription)")
        }
    }

    // MARK: Collections

    /// The entries of a mapping, in document order. Keys must be scalars, as JSON and OpenAPI require.
    func entries() throws(APIError) -> [Entry] {
        guard case .mapping(let mapping) = node else {
            throw fail("expected a mapping (object), found \(kindDescription)")
        }
        var result: [Entry] = []
        result.reserveCapacity(mapping.count)
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                throw DefinitionNode(key, path: path).fail("mapping keys must be strings")
            }
            let keyLine = key.mark?.line ?? line
            result.append(Entry(key: scalar.string, keyLine: keyLine, value: DefinitionNode(value, path: childPath(scalar.string))))
        }
        return result
    }

    func elements() throws(APIError) -> [DefinitionNode] {
        guard case .sequence(let sequence) = node else {
            throw fail("expected a sequence (array), found \(kindDescription)")
        }
        return sequence.enumerated().map { index, element in DefinitionNode(element, path: "\(path)[\(index)]") }
    }

    /// The value of `key` in this mapping, or `nil` when it is absent or `null`.
    func child(_ key: String) throws(APIError) -> DefinitionNode? {
        for entry in try entries() where entry.key == key {
            return entry.value.isNull ? nil : entry.value
        }
        return nil
    }

    /// The value of `key`, which must be present: swagger-parser's "attribute X is missing".
    func required(_ key: String) throws(APIError) -> DefinitionNode {
        guard let value = try child(key) else {
            throw .invalidOpenAPI(childPath(key), line: line, "attribute \(childPath(key)) is missing")
        }
        return value
    }

    /// Like ``child(_:)`` but never throws: `nil` when this node is not a mapping. For lenient checks
    /// of parts of the definition that HTTP APIs ignore.
    func lenientChild(_ key: String) -> DefinitionNode? {
        guard case .mapping(let mapping) = node else { return nil }
        for (candidate, value) in mapping where candidate.scalar?.string == key {
            return DefinitionNode(value, path: childPath(key))
        }
        return nil
    }

    // MARK: Typed collections

    func stringList() throws(APIError) -> [String] {
        var result: [String] = []
        for element in try elements() {
            result.append(try element.string())
        }
        return result
    }

    func stringMap() throws(APIError) -> [String: String] {
        var result: [String: String] = [:]
        for entry in try entries() {
            result[entry.key] = try entry.value.string()
        }
        return result
    }
}
