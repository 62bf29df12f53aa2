import PorticoModel

/// One validation run over a ``SchemaProgram``. In `collect` mode every failure is recorded with its
/// paths and message; otherwise the run stops at the first failure and formats nothing.
/// Sub-schemas whose failures don't surface (`anyOf`, `oneOf`, `not`) always run quietly.
struct SchemaEvaluator {
    private let nodes: [SchemaNode]
    private let maxDepth: Int
    private var collect: Bool
    private var depth = 0
    /// The instance path, kept only while collecting.
    private var path: [String] = []
    private(set) var failures: [ValidationFailure] = []

    init(program: SchemaProgram, collect: Bool) {
        self.nodes = program.nodes
        self.maxDepth = program.maxDepth
        self.collect = collect
    }

    private mutating func fail(_ keyword: String, _ node: SchemaNode, _ message: @autoclosure () -> String) {
        guard collect else { return }
        failures.append(ValidationFailure(keyword: keyword, instancePath: JSONPointer.text(path), schemaPath: node.location, message: message()))
    }

    /// Runs `index` against a member or element of the current value, extending the path while collecting.
    private mutating func check(_ value: JSONValue, _ index: Int, at token: @autoclosure () -> String) -> Bool {
        guard collect else { return check(value, index) }
        path.append(token())
        defer { path.removeLast() }
        return check(value, index)
    }

    /// Whether `value` matches `index`, without recording anything.
    private mutating func matchesQuietly(_ value: JSONValue, _ index: Int) -> Bool {
        let wasCollecting = collect
        collect = false
        defer { collect = wasCollecting }
        return check(value, index)
    }

    mutating func check(_ value: JSONValue, _ index: Int) -> Bool {
        let node = nodes[index]
        depth += 1
        defer { depth -= 1 }
        guard depth <= maxDepth else {
            let limit = maxDepth
            fail("$depth", node, "validation went deeper than \(limit) levels")
            return false
        }
        if let target = node.ref { return check(value, target) }
        var valid = true

        let type = TypeSet.of(value)
        if !node.types.admits(type) {
            fail("type", node, "instance type (\(type.name)) does not match any allowed primitive type (allowed: \(node.types.listText))")
            guard collect else { return false }
            valid = false
        }
        if let values = node.enumValues, !values.contains(where: { $0.schemaEquals(value) }) {
            fail("enum", node, "instance value (\(value.jsonText)) not found in enum (possible values: \(JSONValue.array(values).jsonText))")
            guard collect else { return false }
            valid = false
        }

        switch value {
        case .integer, .number:
            if node.checksNumbers, !checkNumber(value, node) { guard collect else { return false }; valid = false }
        case .string(let text):
            if node.checksStrings, !checkString(text, node) { guard collect else { return false }; valid = false }
        case .array(let elements):
            if node.checksArrays, !checkArray(elements, node) { guard collect else { return false }; valid = false }
        case .object(let members):
            if node.checksObjects, !checkObject(members, value, node) { guard collect else { return false }; valid = false }
        case .null, .bool:
            break
        }

        for schema in node.allOf where !check(value, schema) {
            guard collect else { return false }
            valid = false
        }
        if !node.anyOf.isEmpty, !node.anyOf.contains(where: { matchesQuietly(value, $0) }) {
            fail("anyOf", node, "instance failed to match at least one required schema among \(node.anyOf.count)")
            guard collect else { return false }
            valid = false
        }
        if !node.oneOf.isEmpty {
            var matched = 0
            for schema in node.oneOf where matchesQuietly(value, schema) {
                matched += 1
                if matched > 1 && !collect { break }
            }
            if matched != 1 {
                fail("oneOf", node, "instance failed to match exactly one schema (matched \(matched) out of \(node.oneOf.count))")
                guard collect else { return false }
                valid = false
            }
        }
        if let not = node.not, matchesQuietly(value, not) {
            fail("not", node, "instance matched a schema which it should not have")
            valid = false
        }
        return valid
    }

    private mutating func checkNumber(_ value: JSONValue, _ node: SchemaNode) -> Bool {
        guard let number = JSONNumber(value) else { return true }
        var valid = true
        if let minimum = node.minimum {
            let order = number.compare(to: minimum.limit)
            if order < 0 || (minimum.exclusive && order == 0) {
                fail(
                    "minimum", node,
                    minimum.exclusive
                        ? "numeric instance is not strictly greater than the required minimum \(minimum.limit.text)"
                        : "numeric instance is lower than the required minimum (minimum: \(minimum.limit.text), found: \(number.text))")
                guard collect else { return false }
                valid = false
            }
        }
        if let maximum = node.maximum {
            let order = number.compare(to: maximum.limit)
            if order > 0 || (maximum.exclusive && order == 0) {
                fail(
                    "maximum", node,
                    maximum.exclusive
                        ? "numeric instance is not strictly lower than the required maximum \(maximum.limit.text)"
                        : "numeric instance is greater than the required maximum (maximum: \(maximum.limit.text), found: \(number.text))")
                guard collect else { return false }
                valid = false
            }
        }
        if let divisor = node.multipleOf, !number.isMultiple(of: divisor) {
            fail("multipleOf", node, "remainder of division is not zero (\(number.text) / \(divisor.text))")
            valid = false
        }
        return valid
    }

    private mutating func checkString(_ text: String, _ node: SchemaNode) -> Bool {
        var valid = true
        if node.minLength != nil || node.maxLength != nil {
            // Lengths are in code points; UTF-8 byte counts bound them, so most checks don't count.
            let bytes = text.utf8.count
            var scalars: Int?
            func length() -> Int {
                if let scalars { return scalars }
                let count = text.unicodeScalars.count
                scalars = count
                return count
            }
            if let minimum = node.minLength, bytes < minimum || (bytes < minimum * 4 && length() < minimum) {
                fail("minLength", node, "string \(JSONText.quoted(text)) is too short (length: \(length()), required minimum: \(minimum))")
                guard collect else { return false }
                valid = false
            }
            if let maximum = node.maxLength, bytes > maximum, length() > maximum {
                fail("maxLength", node, "string \(JSONText.quoted(text)) is too long (length: \(length()), maximum allowed: \(maximum))")
                guard collect else { return false }
                valid = false
            }
        }
        if let pattern = node.pattern, !pattern.matches(text) {
            fail("pattern", node, "ECMA 262 regex \(JSONText.quoted(pattern.source)) does not match input string \(JSONText.quoted(text))")
            guard collect else { return false }
            valid = false
        }
        if let format = node.format, !format.accepts(text) {
            fail("format", node, "string \(JSONText.quoted(text)) is not \(format.describedAs)")
            valid = false
        }
        return valid
    }

    private mutating func checkArray(_ elements: [JSONValue], _ node: SchemaNode) -> Bool {
        var valid = true
        if !checkCount(elements.count, node, ofArray: true) {
            guard collect else { return false }
            valid = false
        }
        if node.uniqueItems, Self.hasDuplicates(elements) {
            fail("uniqueItems", node, "array must not contain duplicate elements")
            guard collect else { return false }
            valid = false
        }
        switch node.items {
        case .any:
            break
        case .all(let schema):
            for (offset, element) in elements.enumerated() where !check(element, schema, at: String(offset)) {
                guard collect else { return false }
                valid = false
            }
        case .tuple(let schemas):
            for (offset, element) in elements.enumerated() {
                let matches: Bool
                if offset < schemas.count {
                    matches = check(element, schemas[offset], at: String(offset))
                } else {
                    switch node.additionalItems {
                    case .allowed:
                        matches = true
                    case .forbidden:
                        fail("additionalItems", node, "array only has \(schemas.count) elements in the schema, but the instance has \(elements.count)")
                        return false
                    case .schema(let schema):
                        matches = check(element, schema, at: String(offset))
                    }
                }
                if !matches {
                    guard collect else { return false }
                    valid = false
                }
            }
        }
        return valid
    }

    /// `minItems`/`maxItems` for an array, `minProperties`/`maxProperties` for an object.
    private mutating func checkCount(_ count: Int, _ node: SchemaNode, ofArray: Bool) -> Bool {
        let (minimum, maximum) = ofArray ? (node.minItems, node.maxItems) : (node.minProperties, node.maxProperties)
        if let minimum, count < minimum {
            fail(
                ofArray ? "minItems" : "minProperties", node,
                ofArray
                    ? "array is too short: must have at least \(minimum) elements but instance has \(count) elements"
                    : "object has too few properties (found \(count) but schema requires at least \(minimum))")
            return false
        }
        if let maximum, count > maximum {
            fail(
                ofArray ? "maxItems" : "maxProperties", node,
                ofArray
                    ? "array is too long: must have at most \(maximum) elements but instance has \(count) elements"
                    : "object has too many properties (found \(count) but schema requires at most \(maximum))")
            return false
        }
        return true
    }

    private static func hasDuplicates(_ elements: [JSONValue]) -> Bool {
        guard elements.count > 1 else { return false }
        for i in elements.indices.dropLast() {
            for j in (i + 1)..<elements.count where elements[i].schemaEquals(elements[j]) { return true }
        }
        return false
    }

    private mutating func checkObject(_ members: [String: JSONValue], _ value: JSONValue, _ node: SchemaNode) -> Bool {
        var valid = true
        if !checkCount(members.count, node, ofArray: false) {
            guard collect else { return false }
            valid = false
        }
        if !node.required.isEmpty {
            if collect {
                let missing = node.required.filter { members[$0] == nil }
                if !missing.isEmpty {
                    fail("required", node, "object has missing required properties (\(Self.list(missing)))")
                    valid = false
                }
            } else if node.required.contains(where: { members[$0] == nil }) {
                return false
            }
        }

        if node.patternProperties.isEmpty, case .allowed = node.additionalProperties {
            // Only declared properties constrain members: look each one up instead of walking the object.
            for (name, schema) in node.properties {
                guard let member = members[name] else { continue }
                if !check(member, schema, at: name) {
                    guard collect else { return false }
                    valid = false
                }
            }
        } else {
            var extra: [String] = []
            if collect {
                // Sorted while collecting so failures come in a stable order.
                for name in members.keys.sorted() where !checkMember(name, members[name]!, node, extra: &extra) { valid = false }
            } else {
                for (name, member) in members where !checkMember(name, member, node, extra: &extra) { return false }
            }
            if !extra.isEmpty {
                fail("additionalProperties", node, "object instance has properties which are not allowed by the schema: \(Self.list(extra))")
                valid = false
            }
        }

        for (name, dependency) in node.dependencies where members[name] != nil {
            switch dependency {
            case .properties(let needed):
                let missing = needed.filter { members[$0] == nil }
                if !missing.isEmpty {
                    fail(
                        "dependencies", node,
                        "property \(JSONText.quoted(name)) of object has missing property dependencies (schema requires \(Self.list(needed)); missing: \(Self.list(missing)))")
                    guard collect else { return false }
                    valid = false
                }
            case .schema(let schema):
                if !check(value, schema) {
                    guard collect else { return false }
                    valid = false
                }
            }
        }
        return valid
    }

    /// One member against `properties`, `patternProperties` and `additionalProperties`; a member
    /// that `additionalProperties: false` forbids is added to `extra` (and fails).
    private mutating func checkMember(_ name: String, _ member: JSONValue, _ node: SchemaNode, extra: inout [String]) -> Bool {
        var valid = true
        var declared = false
        if let schema = node.properties[name] {
            declared = true
            if !check(member, schema, at: name) {
                guard collect else { return false }
                valid = false
            }
        }
        for (pattern, schema) in node.patternProperties where pattern.matches(name) {
            declared = true
            if !check(member, schema, at: name) {
                guard collect else { return false }
                valid = false
            }
        }
        guard !declared else { return valid }
        switch node.additionalProperties {
        case .allowed:
            return true
        case .forbidden:
            if collect { extra.append(name) }
            return false
        case .schema(let schema):
            return check(member, schema, at: name)
        }
    }

    private static func list(_ names: [String]) -> String {
        "[" + names.map(JSONText.quoted).joined(separator: ",") + "]"
    }
}
