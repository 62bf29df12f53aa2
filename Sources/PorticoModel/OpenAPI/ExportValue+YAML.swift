import Yams

extension ExportValue {
    /// YAML through Yams. String values are double-quoted, as AWS's YAML exports write them, so that
    /// `"1.0"` or `"true"` stay strings for every YAML reader; keys are quoted only where a plain key
    /// would read as something else (`"200"`).
    func yamlText() throws(APIError) -> String {
        do {
            return try Yams.serialize(node: yamlNode(), width: -1, allowUnicode: true)
        } catch {
            throw APIError(status: 500, type: "InternalServerErrorException", message: "The definition could not be written as YAML.")
        }
    }

    private func yamlNode() -> Node {
        switch self {
        case .string(let text):
            return .scalar(.init(text, Tag(.str), .doubleQuoted))
        case .integer(let number):
            return .scalar(.init(String(number), Tag(.int), .plain))
        case .boolean(let flag):
            return .scalar(.init(flag ? "true" : "false", Tag(.bool), .plain))
        case .number(let text):
            return .scalar(.init(text, Tag(.float), .plain))
        case .null:
            return .scalar(.init("null", Tag(.null), .plain))
        case .array(let elements):
            return .sequence(.init(elements.map { $0.yamlNode() }, Tag(.seq), elements.isEmpty ? .flow : .block))
        case .object(let members):
            let pairs = members.map { member in (Self.yamlKey(member.key), member.value.yamlNode()) }
            return .mapping(.init(pairs, Tag(.map), members.isEmpty ? .flow : .block))
        }
    }

    private static func yamlKey(_ key: String) -> Node {
        let plain = Node(key)
        let readsAsString = Resolver.default.resolveTag(of: plain) == .str
        return .scalar(.init(key, Tag(.str), readsAsString ? .any : .doubleQuoted))
    }
}
