/// Renders a compiled template for one request: walks the nodes, writing into one output string.
///
/// One evaluator per render; it holds the variables (an array indexed by the slots the parser
/// assigned), the lazily parsed body and the `$context` map the template may write overrides to.
final class Evaluator {
    let template: MappingTemplate
    let input: MappingTemplateContext
    var slots: [TemplateValue?]
    var output = ""
    /// The innermost `#foreach`, for `$foreach` and `$velocityCount`.
    var loop: LoopState?
    var totalIterations = 0
    /// How many `#define` blocks are being rendered inside each other.
    var blockDepth = 0

    /// The most text any one value may print or any string operation may build: the output
    /// limit, since nothing larger could be rendered anyway.
    var textLimit: Int { template.limits.maxOutputBytes }
    /// The body parsed as JSON, once, on the first `$input.json`/`$input.path`.
    var parsedBody: TemplateValue?
    /// `$context`, once referenced; kept to read the overrides back.
    var contextMap: MapBox?
    /// Regexes given as variables rather than literals, compiled once per render.
    var regexCache: [String: JavaRegex] = [:]

    enum Flow {
        case normal
        case breakLoop
        case stop
    }

    init(template: MappingTemplate, input: MappingTemplateContext) {
        self.template = template
        self.input = input
        slots = Array(repeating: nil, count: template.slotCount)
    }

    func render() throws(TemplateRenderError) -> RenderResult {
        // Room for the template's text, plus the body when the template may echo it.
        let bodyRoom = template.readsBody ? input.body.count : 0
        output.reserveCapacity(min(template.source.utf8.count + bodyRoom, template.limits.maxOutputBytes))
        _ = try run(template.nodes)
        return RenderResult(
            body: output, requestOverride: try overrides("requestOverride"), responseOverride: try overrides("responseOverride"),
            statusOverride: statusOverride())
    }

    func run(_ nodes: [Node]) throws(TemplateRenderError) -> Flow {
        for node in nodes {
            switch node {
            case .text(let text):
                output.append(text)
            case .reference(let reference):
                if let value = try resolve(reference), !value.isNull {
                    if case .builtin(.block(let body)) = value {
                        // `#break` and `#stop` inside the block act where it is rendered.
                        let flow = try renderBlock(body)
                        if flow != .normal { return flow }
                    } else {
                        try value.appendText(to: &output, limit: textLimit)
                    }
                } else if !reference.quiet {
                    output.append(reference.source)
                }
            case .escapedReference(let backslashes, let reference):
                try renderEscaped(reference, backslashes: backslashes)
            case .set(let target, let expression):
                try assign(target, try evaluate(expression))
            case .conditional(let branches, let otherwise):
                var chosen = otherwise
                for branch in branches where try evaluate(branch.condition).isTruthy {
                    chosen = branch.body
                    break
                }
                if let chosen {
                    let flow = try run(chosen)
                    if flow != .normal { return flow }
                }
            case .foreach(let foreach):
                if try runForeach(foreach) == .stop { return .stop }
            case .define(let slot, let body):
                slots[slot] = .builtin(.block(body))
            case .macroCall(let number, let arguments, let source):
                guard let macro = template.macros[number] else {
                    output.append(source)
                    break
                }
                let flow = try call(macro, arguments)
                if flow != .normal { return flow }
            case .breakLoop:
                return .breakLoop
            case .stop:
                return .stop
            }
            guard output.utf8.count <= template.limits.maxOutputBytes else {
                throw .outputLimit(template.limits.maxOutputBytes)
            }
        }
        return .normal
    }

    /// Renders a `#define` block with the variables as they are now. A block that refers to
    /// itself would recurse forever; the depth is capped like directive nesting.
    func renderBlock(_ body: [Node]) throws(TemplateRenderError) -> Flow {
        blockDepth += 1
        defer { blockDepth -= 1 }
        guard blockDepth <= template.limits.maxNestingDepth else { throw .nestingTooDeep() }
        return try run(body)
    }

    /// Runs a macro with its parameters bound to the arguments' values, restoring the
    /// parameters' previous values afterwards (other variables it sets stay set, as with
    /// Velocity 1.7's default `velocimacro.context.localscope = false`). Velocity passes
    /// arguments by name; here they are evaluated once, at the call.
    private func call(_ macro: Macro, _ arguments: [Expression]) throws(TemplateRenderError) -> Flow {
        var values: [TemplateValue?] = []
        values.reserveCapacity(macro.parameters.count)
        for index in macro.parameters.indices {
            if index < arguments.count {
                let value = try evaluate(arguments[index])
                values.append(value.isNull ? nil : value)
            } else {
                values.append(nil)
            }
        }
        let saved = macro.parameters.map { slots[$0] }
        defer {
            for (slot, value) in zip(macro.parameters, saved) { slots[slot] = value }
        }
        for (slot, value) in zip(macro.parameters, values) { slots[slot] = value }
        return try renderBlock(macro.body)
    }

    /// Velocity 1.7: `\$a` renders `$a` when `$a` has a value and `\$a` when it has none; each
    /// pair of backslashes renders one.
    private func renderEscaped(_ reference: Reference, backslashes: Int) throws(TemplateRenderError) {
        let value = try resolve(reference)
        guard let value, !value.isNull else {
            output.append(String(repeating: "\\", count: backslashes))
            output.append(reference.source)
            return
        }
        output.append(String(repeating: "\\", count: backslashes / 2))
        if backslashes % 2 == 1 {
            output.append(reference.source)
        } else {
            try value.appendText(to: &output, limit: textLimit)
        }
    }

    /// `#set`. Velocity 1.7 leaves the target unchanged when the value is null
    /// (`directive.set.null.allowed = false`).
    private func assign(_ target: Reference, _ value: TemplateValue) throws(TemplateRenderError) {
        guard !value.isNull else { return }
        guard let last = target.steps.last else {
            slots[target.slot] = value
            return
        }
        var container = variable(target.slot)
        for step in target.steps.dropLast() {
            guard let current = container else { return }
            container = try apply(step, to: current)
        }
        switch (last, container) {
        case (.property(let name), .map(let map)?):
            map.put(name, value)
        case (.index(let indexExpression), .map(let map)?):
            map.put(try evaluate(indexExpression).text(limit: textLimit), value)
        case (.index(let indexExpression), .list(let list)?):
            if case .integer(let index) = try evaluate(indexExpression), list.items.indices.contains(Int(index)) {
                list.items[Int(index)] = value
            }
        default:
            break
        }
    }

    private func runForeach(_ foreach: Foreach) throws(TemplateRenderError) -> Flow {
        let items: [TemplateValue]
        switch try evaluate(foreach.iterable) {
        case .list(let list): items = list.items
        // Velocity iterates a map's values.
        case .map(let map): items = map.values
        default: return .normal
        }
        let saved = slots[foreach.slot]
        let state = LoopState(parent: loop)
        loop = state
        defer {
            loop = state.parent
            slots[foreach.slot] = saved
        }
        let limits = template.limits
        for (index, item) in items.enumerated() {
            guard index < limits.maxForeachIterations else { throw .loopLimit(limits.maxForeachIterations) }
            totalIterations += 1
            guard totalIterations <= limits.maxTotalIterations else { throw .loopLimit(limits.maxTotalIterations) }
            state.index = index
            state.hasNext = index + 1 < items.count
            slots[foreach.slot] = item
            switch try run(foreach.body) {
            case .normal: continue
            case .breakLoop: return .normal
            case .stop: return .stop
            }
        }
        return .normal
    }

    /// A variable's value; API Gateway's variables are made on first use.
    func variable(_ slot: Int) -> TemplateValue? {
        if let value = slots[slot] { return value }
        let value: TemplateValue?
        switch slot {
        case BuiltinSlot.input: value = .builtin(.input)
        case BuiltinSlot.util: value = .builtin(.util)
        case BuiltinSlot.context: value = .map(makeContext())
        case BuiltinSlot.stageVariables:
            let map = MapBox(minimumCapacity: input.stageVariables.count)
            for key in input.stageVariables.keys.sorted() { map.put(key, .string(input.stageVariables[key]!)) }
            value = .map(map)
        case BuiltinSlot.foreach: return loop.map { .builtin(.loop($0)) }
        case BuiltinSlot.velocityCount: return loop.map { .integer(Int64($0.index + 1)) }
        default: return nil
        }
        slots[slot] = value
        return value
    }

    private func makeContext() -> MapBox {
        let map = MapBox(minimumCapacity: input.context.count + 2)
        for key in input.context.keys.sorted() { map.put(key, TemplateValue(input.context[key]!)) }
        let request = MapBox()
        for name in ["header", "path", "querystring"] { request.put(name, .map(MapBox())) }
        let response = MapBox()
        response.put("header", .map(MapBox()))
        map.put("requestOverride", .map(request))
        map.put("responseOverride", .map(response))
        contextMap = map
        return map
    }

    private func overrides(_ name: String) throws(TemplateRenderError) -> RenderResult.Overrides {
        guard case .map(let overrides)? = contextMap?[name] else { return .init() }
        func strings(_ member: String) throws(TemplateRenderError) -> [String: String] {
            guard case .map(let map)? = overrides[member] else { return [:] }
            var result: [String: String] = [:]
            for entry in map.entries where !entry.value.isNull {
                result[entry.key] = try entry.value.text(limit: textLimit)
            }
            return result
        }
        return .init(header: try strings("header"), path: try strings("path"), querystring: try strings("querystring"))
    }

    private func statusOverride() -> Int? {
        guard case .map(let response)? = contextMap?["responseOverride"] else { return nil }
        switch response["status"] {
        case .integer(let value)?: return Int(exactly: value)
        case .double(let value)?: return Int(exactly: value.rounded(.towardZero))
        case .string(let value)?: return Int(value.trimmingSpaces)
        default: return nil
        }
    }
}
