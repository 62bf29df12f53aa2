/// How Velocity renders a value: Java's `toString()`. Maps print as `{a=1, b=x}` and lists as
/// `[1, x]` (`AbstractMap.toString`/`AbstractCollection.toString`), which is what API Gateway
/// prints for `$input.path('$')` when it is rendered directly.
extension TemplateValue {
    /// Appends `toString()` of the value. Deeply nested or self-containing collections stop at
    /// `maxDepth` with an error instead of overflowing the stack (Java throws StackOverflowError).
    /// `limit` bounds the text: a list holding itself many times over (`[$l, $l]` repeated)
    /// would otherwise print exponentially much before any output check could run.
    func appendText(to out: inout String, depth: Int = 0, limit: Int = .max) throws(TemplateRenderError) {
        switch self {
        case .null: out.append("null")
        case .bool(let value): out.append(value ? "true" : "false")
        case .integer(let value): out.append(String(value))
        case .double(let value): out.append(Self.javaDoubleText(value))
        case .string(let value): out.append(value)
        case .list(let list) where list.printsAsJSON:
            try appendJSON(to: &out, depth: depth, limit: limit)
        case .list(let list):
            try Self.appendJoined(list.items, brackets: ("[", "]"), separator: ", ", depth: depth, limit: limit, to: &out) { item, out throws(TemplateRenderError) in
                if case .list(let inner) = item, inner === list {
                    out.append("(this Collection)")
                } else {
                    try item.appendText(to: &out, depth: depth + 1, limit: limit)
                }
            }
        case .map(let map):
            try Self.appendJoined(map.entries, brackets: ("{", "}"), separator: ", ", depth: depth, limit: limit, to: &out) { entry, out throws(TemplateRenderError) in
                out.append(entry.key)
                out.append("=")
                if case .map(let inner) = entry.value, inner === map {
                    out.append("(this Map)")
                } else {
                    try entry.value.appendText(to: &out, depth: depth + 1, limit: limit)
                }
            }
        case .builtin(let builtin):
            switch builtin {
            case .input: out.append("$input")
            case .util: out.append("$util")
            case .loop: out.append("$foreach")
            case .block: out.append("#define")
            }
        }
    }

    /// Appends `elements` between brackets with separators, for both Java's and JSON's printing
    /// of collections: refuses nesting past `maxNesting` and stops once `out` passes `limit`.
    static func appendJoined<Elements: Sequence>(
        _ elements: Elements, brackets: (open: String, close: String), separator: String, depth: Int, limit: Int, to out: inout String,
        element appendElement: (Elements.Element, inout String) throws(TemplateRenderError) -> Void
    ) throws(TemplateRenderError) {
        guard depth < maxNesting else { throw .nestingTooDeep() }
        out.append(brackets.open)
        var first = true
        for element in elements {
            if !first { out.append(separator) }
            first = false
            try appendElement(element, &out)
            guard out.utf8.count <= limit else { throw .outputLimit(limit) }
        }
        out.append(brackets.close)
    }

    /// `toString()` of the value.
    func text(limit: Int = .max) throws(TemplateRenderError) -> String {
        if case .string(let value) = self { return value }
        var out = ""
        try appendText(to: &out, limit: limit)
        return out
    }

    /// How deep collections may nest when printed or serialized; also the JSON parser's limit.
    static let maxNesting = 256

    /// Java's `Double.toString`: `1.0`, `249.99`, `1.0E7`, `1.0E-4`, `NaN`, `Infinity`.
    static func javaDoubleText(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e7 {
            let text = "\(value)"
            return text.contains(".") ? text : text + ".0"
        }
        // Swift prints `1e+20` / `1.5e-05`; Java prints `1.0E20` / `1.5E-5`.
        let text = "\(value)"
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        var mantissa = String(text[..<e])
        if !mantissa.contains(".") { mantissa += ".0" }
        var exponent = Substring(text[text.index(after: e)...])
        if exponent.hasPrefix("+") { exponent = exponent.dropFirst() }
        let negative = exponent.hasPrefix("-")
        if negative { exponent = exponent.dropFirst() }
        let digits = exponent.drop { $0 == "0" }
        return mantissa + "E" + (negative ? "-" : "") + (digits.isEmpty ? "0" : String(digits))
    }
}
