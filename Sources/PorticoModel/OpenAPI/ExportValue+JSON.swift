extension ExportValue {
    /// Pretty JSON in the layout AWS's exports have (Jackson's default pretty printer): two-space
    /// indentation, `"key" : value`, arrays on one line (`[ "GET", "POST" ]`, `[ {` ... `} ]`), and
    /// `{ }` / `[ ]` when empty.
    func jsonText() -> String {
        var out = ""
        writeJSON(into: &out, level: 0)
        return out
    }

    private func writeJSON(into out: inout String, level: Int) {
        switch self {
        case .string(let text):
            out += JSONText.quoted(text)
        case .integer(let number):
            out += String(number)
        case .boolean(let flag):
            out += flag ? "true" : "false"
        case .number(let text):
            out += text
        case .null:
            out += "null"
        case .array(let elements):
            guard !elements.isEmpty else {
                out += "[ ]"
                return
            }
            out += "[ "
            for (index, element) in elements.enumerated() {
                if index > 0 { out += ", " }
                element.writeJSON(into: &out, level: level)
            }
            out += " ]"
        case .object(let members):
            guard !members.isEmpty else {
                out += "{ }"
                return
            }
            let indent = String(repeating: "  ", count: level + 1)
            out += "{\n"
            for (index, member) in members.enumerated() {
                if index > 0 { out += ",\n" }
                out += indent + JSONText.quoted(member.key) + " : "
                member.value.writeJSON(into: &out, level: level + 1)
            }
            out += "\n" + String(repeating: "  ", count: level) + "}"
        }
    }

    /// JSON without layout, as a resource policy is stored.
    func compactJSONText() -> String {
        switch self {
        case .string(let text): return JSONText.quoted(text)
        case .integer(let number): return String(number)
        case .boolean(let flag): return flag ? "true" : "false"
        case .number(let text): return text
        case .null: return "null"
        case .array(let elements): return "[" + elements.map { $0.compactJSONText() }.joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { JSONText.quoted($0.key) + ":" + $0.value.compactJSONText() }.joined(separator: ",") + "}"
        }
    }
}
