import PorticoModel

/// JSON text of values, as `$input.json(...)` returns it: compact, members in document order.
extension TemplateValue {
    func appendJSON(to out: inout String, depth: Int = 0, limit: Int = .max) throws(TemplateRenderError) {
        switch self {
        case .null: out.append("null")
        case .bool(let value): out.append(value ? "true" : "false")
        case .integer(let value): out.append(String(value))
        case .double(let value):
            // JSON has no NaN or Infinity; Java JSON writers print null for them.
            out.append(value.isFinite ? Self.javaDoubleText(value) : "null")
        case .string(let value):
            Self.appendJSONString(value, to: &out)
        case .list(let list):
            try Self.appendJoined(list.items, brackets: ("[", "]"), separator: ",", depth: depth, limit: limit, to: &out) { item, out throws(TemplateRenderError) in
                try item.appendJSON(to: &out, depth: depth + 1, limit: limit)
            }
        case .map(let map):
            try Self.appendJoined(map.entries, brackets: ("{", "}"), separator: ",", depth: depth, limit: limit, to: &out) { entry, out throws(TemplateRenderError) in
                Self.appendJSONString(entry.key, to: &out)
                out.append(":")
                try entry.value.appendJSON(to: &out, depth: depth + 1, limit: limit)
            }
        case .builtin:
            try Self.appendJSONString(text(), to: &out)
        }
    }

    /// A JSON string literal; strings with nothing to escape (most) are appended whole.
    static func appendJSONString(_ value: String, to out: inout String) {
        out.append("\"")
        if value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            JSONText.escape(value, into: &out)
        } else {
            out.append(value)
        }
        out.append("\"")
    }

    func jsonText(limit: Int = .max) throws(TemplateRenderError) -> String {
        var out = ""
        try appendJSON(to: &out, limit: limit)
        return out
    }

    /// A caller-supplied value (`$context`, stage variables) as a template value. Objects come
    /// from a Swift dictionary, so their members are ordered by key to keep output stable.
    init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .integer(let value): self = .integer(value)
        case .number(let value): self = .double(value)
        case .string(let value): self = .string(value)
        case .array(let values): self = .list(ListBox(values.map(TemplateValue.init)))
        case .object(let members):
            let map = MapBox(minimumCapacity: members.count)
            for key in members.keys.sorted() {
                map.put(key, TemplateValue(members[key]!))
            }
            self = .map(map)
        }
    }
}
