import Yams

extension DefinitionNode {
    /// The node as a JSON value with object members in document order, for the JSON Schemas of REST
    /// API models. Scalars keep the type YAML resolved (`3` a number, `"3"` a string); every `$ref`
    /// string is passed through `rewrite`.
    func exportValue(rewritingReferences rewrite: (String) -> String) throws(APIError) -> ExportValue {
        switch node {
        case .scalar(let scalar):
            switch node.tag.rawValue {
            case Tag.Name.null.rawValue:
                return .null
            case Tag.Name.bool.rawValue:
                return .boolean(try boolean())
            case Tag.Name.int.rawValue:
                return Int(scalar.string).map(ExportValue.integer) ?? .string(scalar.string)
            case Tag.Name.float.rawValue:
                // YAML's `.inf` and `.nan` are floats that JSON cannot write.
                return Double(scalar.string).map { $0.isFinite ? ExportValue.number(scalar.string) : .string(scalar.string) }
                    ?? .string(scalar.string)
            default:
                return .string(scalar.string)
            }
        case .sequence:
            var values: [ExportValue] = []
            for element in try elements() {
                values.append(try element.exportValue(rewritingReferences: rewrite))
            }
            return .array(values)
        case .mapping:
            var members: [ExportValue.Member] = []
            for entry in try entries() {
                if entry.key == "$ref", let reference = entry.value.scalarText {
                    members.append(.init(key: entry.key, value: .string(rewrite(reference))))
                } else {
                    members.append(.init(key: entry.key, value: try entry.value.exportValue(rewritingReferences: rewrite)))
                }
            }
            return .object(members)
        case .alias:
            throw fail("aliases are not supported")
        }
    }
}
