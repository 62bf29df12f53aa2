import PorticoModel

/// Turns schema documents into ``SchemaNode``s: every keyword checked once, patterns compiled once,
/// every `$ref` resolved to a node index (compiling its target on demand, in this document or in
/// another model of the same API).
struct SchemaCompiler {
    private(set) var nodes: [SchemaNode] = []
    private var nodeAt: [String: Int] = [:]
    /// Schema documents by key: `""` for the root, a model's name for models reached by `$ref`.
    private var documents: [String: JSONValue] = [:]
    private var pendingRefs: [PendingRef] = []
    private let limits: JSONSchema.Limits
    private let modelLookup: (ModelReference) -> JSONValue?

    private struct PendingRef {
        var node: Int
        var document: String
        var tokens: [String]
        var location: String
    }

    init(root: JSONValue, limits: JSONSchema.Limits, modelLookup: @escaping (ModelReference) -> JSONValue?) {
        self.documents[""] = root
        self.limits = limits
        self.modelLookup = modelLookup
    }

    /// Compiles the root document and everything it references; returns the root's node index.
    mutating func compileRoot() throws(SchemaError) -> Int {
        let root = try compile(documents[""] ?? .null, document: "", tokens: [], depth: 0)
        while let pending = pendingRefs.popLast() {
            let target = try target(of: pending)
            nodes[pending.node].ref = target
        }
        try collapseRefChains()
        return root
    }

    private static func location(document: String, tokens: [String]) -> String {
        document + "#" + JSONPointer.text(tokens)
    }

    private mutating func target(of pending: PendingRef) throws(SchemaError) -> Int {
        let key = Self.location(document: pending.document, tokens: pending.tokens)
        if let existing = nodeAt[key] { return existing }
        guard let document = documents[pending.document], let value = JSONPointer.resolve(pending.tokens, in: document) else {
            throw SchemaError(keyword: "$ref", pointer: pending.location, reason: "\(key) does not exist")
        }
        return try compile(value, document: pending.document, tokens: pending.tokens, depth: 0)
    }

    /// Points every `$ref` node straight at the first non-`$ref` node of its chain; a chain that
    /// returns to itself can match nothing and is rejected.
    private mutating func collapseRefChains() throws(SchemaError) {
        for start in nodes.indices where nodes[start].ref != nil {
            var current = start
            var steps = 0
            while let next = nodes[current].ref {
                current = next
                steps += 1
                if current == start || steps > nodes.count {
                    throw SchemaError(keyword: "$ref", pointer: nodes[start].location, reason: "references form a cycle that never reaches a schema")
                }
            }
            nodes[start].ref = current
        }
    }

    private mutating func compile(_ value: JSONValue, document: String, tokens: [String], depth: Int) throws(SchemaError) -> Int {
        let location = Self.location(document: document, tokens: tokens)
        if let existing = nodeAt[location] { return existing }
        guard case .object(let members) = value else {
            throw SchemaError(keyword: "", pointer: location, reason: "a schema must be a JSON object, not \(value.typeName)")
        }
        guard depth <= limits.maxSchemaDepth else {
            throw SchemaError(keyword: "", pointer: location, reason: "schemas are nested more than \(limits.maxSchemaDepth) deep")
        }
        let index = nodes.count
        let node = SchemaNode(location: location)
        nodes.append(node)
        nodeAt[location] = index
        let reader = KeywordReader(members: members, location: location)

        if let ref = members["$ref"] {
            guard case .string(let text) = ref else { throw reader.error("$ref", "must be a string") }
            let (targetDocument, targetTokens) = try resolveReference(text, from: document, location: location)
            pendingRefs.append(PendingRef(node: index, document: targetDocument, tokens: targetTokens, location: location))
            // Draft 4: siblings of `$ref` are ignored. `definitions` are still compiled so refs into them resolve.
            try compileDefinitions(reader: reader, document: document, tokens: tokens, depth: depth)
            return index
        }

        // A child schema under `keyword` (and `key` inside it, for maps and lists).
        func child(_ value: JSONValue, _ path: String...) throws(SchemaError) -> Int { try child(value, path) }
        func child(_ value: JSONValue, _ path: [String]) throws(SchemaError) -> Int {
            try compile(value, document: document, tokens: tokens + path, depth: depth + 1)
        }

        try compileDefinitions(reader: reader, document: document, tokens: tokens, depth: depth)

        if let type = members["type"] {
            node.types = try reader.types(type)
        }
        if let values = members["enum"] {
            guard case .array(let list) = values, !list.isEmpty else { throw reader.error("enum", "must be a non-empty array") }
            node.enumValues = list
        }

        // Numbers.
        node.minimum = try reader.bound("minimum", exclusive: "exclusiveMinimum")
        node.maximum = try reader.bound("maximum", exclusive: "exclusiveMaximum")
        if let divisor = members["multipleOf"] {
            guard let number = JSONNumber(divisor), number.double > 0 else { throw reader.error("multipleOf", "must be a number greater than 0") }
            node.multipleOf = number
        }

        // Strings.
        node.minLength = try reader.count("minLength")
        node.maxLength = try reader.count("maxLength")
        if let pattern = members["pattern"] {
            node.pattern = try reader.pattern(pattern, keyword: "pattern")
        }
        if let format = members["format"] {
            guard case .string(let name) = format else { throw reader.error("format", "must be a string") }
            node.format = Format(rawValue: name)
        }

        // Arrays.
        switch members["items"] {
        case nil: break
        case .array(let list)?:
            var items: [Int] = []
            for (offset, item) in list.enumerated() { items.append(try child(item, "items", String(offset))) }
            node.items = .tuple(items)
        case let schema?:
            node.items = .all(try child(schema, "items"))
        }
        node.additionalItems = try reader.additional("additionalItems") { value throws(SchemaError) in try child(value, ["additionalItems"]) }
        node.minItems = try reader.count("minItems")
        node.maxItems = try reader.count("maxItems")
        node.uniqueItems = try reader.bool("uniqueItems") ?? false

        // Objects.
        if let properties = members["properties"] {
            for (name, schema) in try reader.object(properties, keyword: "properties") {
                node.properties[name] = try child(schema, "properties", name)
            }
        }
        if let patterns = members["patternProperties"] {
            for (source, schema) in try reader.object(patterns, keyword: "patternProperties").sorted(by: { $0.key < $1.key }) {
                node.patternProperties.append((try reader.pattern(.string(source), keyword: "patternProperties"), try child(schema, "patternProperties", source)))
            }
        }
        node.additionalProperties = try reader.additional("additionalProperties") { value throws(SchemaError) in try child(value, ["additionalProperties"]) }
        if let required = members["required"] {
            node.required = try reader.strings(required, keyword: "required")
        }
        node.minProperties = try reader.count("minProperties")
        node.maxProperties = try reader.count("maxProperties")
        if let dependencies = members["dependencies"] {
            for (name, dependency) in try reader.object(dependencies, keyword: "dependencies").sorted(by: { $0.key < $1.key }) {
                if case .array = dependency {
                    node.dependencies.append((name, .properties(try reader.strings(dependency, keyword: "dependencies"))))
                } else {
                    node.dependencies.append((name, .schema(try child(dependency, "dependencies", name))))
                }
            }
        }

        // Combinations.
        for keyword in ["allOf", "anyOf", "oneOf"] {
            guard let list = members[keyword] else { continue }
            guard case .array(let schemas) = list, !schemas.isEmpty else { throw reader.error(keyword, "must be a non-empty array of schemas") }
            var compiled: [Int] = []
            for (offset, schema) in schemas.enumerated() { compiled.append(try child(schema, keyword, String(offset))) }
            switch keyword {
            case "allOf": node.allOf = compiled
            case "anyOf": node.anyOf = compiled
            default: node.oneOf = compiled
            }
        }
        if let not = members["not"] {
            node.not = try child(not, "not")
        }

        node.checksNumbers = node.minimum != nil || node.maximum != nil || node.multipleOf != nil
        node.checksStrings = node.minLength != nil || node.maxLength != nil || node.pattern != nil || node.format != nil
        node.checksArrays = node.minItems != nil || node.maxItems != nil || node.uniqueItems
        if case .any = node.items {} else { node.checksArrays = true }
        node.checksObjects = !node.properties.isEmpty || !node.patternProperties.isEmpty || !node.required.isEmpty
            || node.minProperties != nil || node.maxProperties != nil || !node.dependencies.isEmpty
        if case .allowed = node.additionalProperties {} else { node.checksObjects = true }
        return index
    }

    private mutating func compileDefinitions(reader: KeywordReader, document: String, tokens: [String], depth: Int) throws(SchemaError) {
        guard let definitions = reader.members["definitions"] else { return }
        for (name, schema) in try reader.object(definitions, keyword: "definitions").sorted(by: { $0.key < $1.key }) {
            _ = try compile(schema, document: document, tokens: tokens + ["definitions", name], depth: depth + 1)
        }
    }

    /// `#pointer` within the current document, or an API Gateway model URL (with an optional fragment).
    private mutating func resolveReference(_ text: String, from document: String, location: String) throws(SchemaError) -> (String, [String]) {
        let hash = text.firstIndex(of: "#")
        let base = text[..<(hash ?? text.endIndex)]
        let fragment = hash.map { text[text.index(after: $0)...] } ?? ""
        guard let tokens = JSONPointer.tokens(fragment: fragment) else {
            throw SchemaError(keyword: "$ref", pointer: location, reason: "\"\(text)\" is not a JSON pointer fragment (draft 4 `id` anchors are not supported)")
        }
        if base.isEmpty { return (document, tokens) }
        guard let reference = ModelReference(url: base) else {
            throw SchemaError(
                keyword: "$ref", pointer: location,
                reason: "\"\(text)\" is neither a reference within the schema (#/...) nor a model URL (https://apigateway.amazonaws.com/restapis/{restapi_id}/models/{model_name})")
        }
        if documents[reference.modelName] == nil {
            guard let schema = modelLookup(reference) else {
                throw SchemaError(keyword: "$ref", pointer: location, reason: "model \"\(reference.modelName)\" of REST API \"\(reference.restApiId)\" does not exist")
            }
            documents[reference.modelName] = schema
        }
        return (reference.modelName, tokens)
    }
}

extension JSONValue {
    fileprivate var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}

/// Reads and checks keyword values of one schema object, naming the keyword and place on error.
private struct KeywordReader {
    let members: [String: JSONValue]
    let location: String

    func error(_ keyword: String, _ reason: String) -> SchemaError {
        SchemaError(keyword: keyword, pointer: location, reason: reason)
    }

    func types(_ value: JSONValue) throws(SchemaError) -> TypeSet {
        let names: [JSONValue]
        switch value {
        case .string: names = [value]
        case .array(let list) where !list.isEmpty: names = list
        default: throw error("type", "must be a type name or a non-empty array of type names")
        }
        var set: TypeSet = []
        for name in names {
            guard case .string(let text) = name, let type = TypeSet(name: text) else {
                throw error("type", "\(name.jsonText) is not one of array, boolean, integer, null, number, object, string")
            }
            set.insert(type)
        }
        return set
    }

    /// `additionalItems` / `additionalProperties`: a boolean or a schema.
    func additional(_ keyword: String, schema: (JSONValue) throws(SchemaError) -> Int) throws(SchemaError) -> SchemaNode.Additional {
        switch members[keyword] {
        case nil, .bool(true)?: .allowed
        case .bool(false)?: .forbidden
        case let value? where value.isObject: .schema(try schema(value))
        default: throw error(keyword, "must be a boolean or a schema")
        }
    }

    func count(_ keyword: String) throws(SchemaError) -> Int? {
        guard let value = members[keyword] else { return nil }
        switch value {
        case .integer(let integer) where integer >= 0: return Int(clamping: integer)
        case .number(let double) where double >= 0 && double.rounded() == double && double < 9e18: return Int(double)
        default: throw error(keyword, "must be a non-negative integer")
        }
    }

    func bool(_ keyword: String) throws(SchemaError) -> Bool? {
        guard let value = members[keyword] else { return nil }
        guard case .bool(let flag) = value else { throw error(keyword, "must be a boolean") }
        return flag
    }

    func bound(_ keyword: String, exclusive: String) throws(SchemaError) -> SchemaNode.Bound? {
        let isExclusive = try bool(exclusive) ?? false
        guard let value = members[keyword] else {
            if members[exclusive] != nil { throw error(exclusive, "requires \"\(keyword)\"") }
            return nil
        }
        guard let number = JSONNumber(value) else { throw error(keyword, "must be a number") }
        return SchemaNode.Bound(limit: number, exclusive: isExclusive)
    }

    func pattern(_ value: JSONValue, keyword: String) throws(SchemaError) -> Pattern {
        guard case .string(let source) = value else { throw error(keyword, "must be a string") }
        guard let pattern = Pattern(source) else { throw error(keyword, "\"\(source)\" is not a regular expression this validator supports") }
        return pattern
    }

    func object(_ value: JSONValue, keyword: String) throws(SchemaError) -> [String: JSONValue] {
        guard case .object(let members) = value else { throw error(keyword, "must be an object") }
        return members
    }

    func strings(_ value: JSONValue, keyword: String) throws(SchemaError) -> [String] {
        guard case .array(let list) = value else { throw error(keyword, "must be an array of strings") }
        var strings: [String] = []
        for item in list {
            guard case .string(let text) = item else { throw error(keyword, "must be an array of strings") }
            guard !strings.contains(text) else { throw error(keyword, "lists \"\(text)\" twice") }
            strings.append(text)
        }
        return strings
    }
}
