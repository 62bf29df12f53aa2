/// Resolving `$a.b.c(...)[i]`: each step is a map member, a bean-style property, a method call
/// or an index, as Velocity's introspection finds them on the Java objects API Gateway uses.
extension Evaluator {
    /// The reference's value, or nil when any step has none (Velocity then renders the source).
    func resolve(_ reference: Reference) throws(TemplateRenderError) -> TemplateValue? {
        guard var value = variable(reference.slot) else { return nil }
        for step in reference.steps {
            guard let next = try apply(step, to: value), !next.isNull else { return nil }
            value = next
        }
        return value
    }

    func apply(_ step: ReferenceStep, to value: TemplateValue) throws(TemplateRenderError) -> TemplateValue? {
        switch step {
        case .property(let name):
            return property(name, of: value)
        case .index(let expression):
            let index = try evaluate(expression)
            switch (value, index) {
            case (.list(let list), .integer(let position)):
                return list.items.indices.contains(Int(position)) ? list.items[Int(position)] : nil
            case (.map(let map), _):
                return map[try index.text(limit: textLimit)]
            default:
                return nil
            }
        case .method(let call):
            var arguments: [TemplateValue] = []
            arguments.reserveCapacity(call.arguments.count)
            for argument in call.arguments { arguments.append(try evaluate(argument)) }
            return try invoke(call, on: value, arguments)
        }
    }

    /// `$a.name`: `get("name")` on a map; otherwise the getter Velocity would find
    /// (`getName()`, `isName()`).
    private func property(_ name: String, of value: TemplateValue) -> TemplateValue? {
        switch value {
        case .map(let map):
            return map[name]
        case .builtin(.loop(let state)):
            switch name {
            case "hasNext": return .bool(state.hasNext)
            case "index": return .integer(Int64(state.index))
            case "count": return .integer(Int64(state.index + 1))
            case "first": return .bool(state.index == 0)
            case "last": return .bool(!state.hasNext)
            case "parent": return state.parent.map { .builtin(.loop($0)) }
            default: return nil
            }
        case .builtin(.input):
            switch name {
            // An empty payload reads as `{}` (not documented; observed on AWS and mirrored by
            // LocalStack's AWS-validated tests), so `$util.urlEncode($input.body)` still works.
            case "body": return .string(input.body.isEmpty ? "{}" : String(decoding: input.body, as: UTF8.self))
            case "params": return .map(allParameters())
            default: return nil
            }
        case .string(let string):
            switch name {
            case "empty": return .bool(string.isEmpty)
            case "bytes": return .list(ListBox(string.utf8.map { .integer(Int64(Int8(bitPattern: $0))) }))
            default: return nil
            }
        case .list(let list):
            return name == "empty" ? .bool(list.items.isEmpty) : nil
        default:
            return nil
        }
    }

    func invoke(_ call: MethodCall, on target: TemplateValue, _ arguments: [TemplateValue]) throws(TemplateRenderError) -> TemplateValue? {
        switch target {
        case .builtin(.input): return try inputMethod(call, arguments)
        case .builtin(.util): return try utilMethod(call.name, arguments)
        case .builtin(.loop), .builtin(.block): return nil
        case .string(let string): return try stringMethod(call, on: string, arguments)
        case .list(let list): return try listMethod(call.name, on: list, arguments)
        case .map(let map): return try mapMethod(call.name, on: map, arguments)
        case .integer, .double, .bool: return try scalarMethod(call.name, on: target, arguments)
        case .null: return nil
        }
    }

    /// The regex for a `matches`/`replaceAll`/`split` call: compiled with the template when the
    /// pattern was a literal, else once per render.
    func regex(for call: MethodCall, pattern: String) throws(TemplateRenderError) -> JavaRegex {
        if let regex = call.regex { return regex }
        if let regex = regexCache[pattern] { return regex }
        let regex = try JavaRegex(pattern)
        regexCache[pattern] = regex
        return regex
    }
}
