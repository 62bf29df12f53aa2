/// The JSONPath dialect `$input.json(...)` and `$input.path(...)` take (API Gateway uses Jayway
/// JsonPath): `$`, `.name`, `['name']`, `["name"]`, `['a','b']`, `[0]`, `[-1]`, `[0,2]`,
/// `[1:3]`, `*`, `[*]`, `..name`, `..*` and filters `[?(@.price < 10)]`, `[?(@.isbn)]`,
/// `[?(@.a == 'x' && @.b > 1)]`.
///
/// A path with only names and single indexes is *definite*: it selects one value (or nothing).
/// Any other path selects a list, possibly empty, as Jayway returns.
struct JSONPath: Sendable {
    enum Segment: Sendable {
        case child(String)
        case children([String])
        case index(Int)
        case indexes([Int])
        case slice(start: Int?, end: Int?)
        case wildcard
        /// `..name` (`nil` for `..*`): every descendant's member of that name.
        case descendants(String?)
        case filter(FilterExpression)
    }

    let source: String
    let segments: [Segment]

    var isDefinite: Bool {
        segments.allSatisfy {
            switch $0 {
            case .child, .index: true
            default: false
            }
        }
    }

    init(_ source: String) throws(TemplateRenderError) {
        self.source = source
        var scanner = JSONPathScanner(source)
        segments = try scanner.parsePath()
    }

    /// The selected value: for a definite path the value itself or nil; otherwise a list.
    func select(in root: TemplateValue) throws(TemplateRenderError) -> TemplateValue? {
        var current = [root]
        for segment in segments {
            var next: [TemplateValue] = []
            for value in current { try Self.apply(segment, to: value, into: &next) }
            current = next
        }
        if isDefinite { return current.first }
        return .list(ListBox(current, printsAsJSON: true))
    }

    private static func apply(_ segment: Segment, to value: TemplateValue, into out: inout [TemplateValue]) throws(TemplateRenderError) {
        switch segment {
        case .child(let name):
            if case .map(let map) = value, let member = map[name] { out.append(member) }
        case .children(let names):
            if case .map(let map) = value {
                for name in names { if let member = map[name] { out.append(member) } }
            }
        case .index(let index):
            if case .list(let list) = value, let item = element(of: list.items, at: index) { out.append(item) }
        case .indexes(let indexes):
            if case .list(let list) = value {
                for index in indexes { if let item = element(of: list.items, at: index) { out.append(item) } }
            }
        case .slice(let start, let end):
            guard case .list(let list) = value else { return }
            let count = list.items.count
            let from = clampSliceBound(start ?? 0, count)
            let to = clampSliceBound(end ?? count, count)
            if from < to { out.append(contentsOf: list.items[from..<to]) }
        case .wildcard:
            switch value {
            case .map(let map): out.append(contentsOf: map.values)
            case .list(let list): out.append(contentsOf: list.items)
            default: break
            }
        case .descendants(let name):
            try collectDescendants(of: value, named: name, into: &out, depth: 0)
        case .filter(let filter):
            let candidates: [TemplateValue]
            switch value {
            case .list(let list): candidates = list.items
            case .map: candidates = [value]
            default: candidates = []
            }
            for candidate in candidates where try filter.matches(candidate) { out.append(candidate) }
        }
    }

    private static func element(of items: [TemplateValue], at index: Int) -> TemplateValue? {
        let position = index < 0 ? items.count + index : index
        return items.indices.contains(position) ? items[position] : nil
    }

    private static func clampSliceBound(_ bound: Int, _ count: Int) -> Int {
        bound < 0 ? max(0, count + bound) : min(bound, count)
    }

    /// Jayway's deep scan: the value's own members first, then each child's, depth first.
    private static func collectDescendants(of value: TemplateValue, named name: String?, into out: inout [TemplateValue], depth: Int) throws(TemplateRenderError) {
        guard depth < TemplateValue.maxNesting else { throw .nestingTooDeep() }
        switch value {
        case .map(let map):
            for entry in map.entries {
                if name == nil || name == entry.key { out.append(entry.value) }
                try collectDescendants(of: entry.value, named: name, into: &out, depth: depth + 1)
            }
        case .list(let list):
            for item in list.items {
                if name == nil { out.append(item) }
                try collectDescendants(of: item, named: name, into: &out, depth: depth + 1)
            }
        default:
            break
        }
    }
}

/// A filter's condition: `@.path`, `@.path <op> literal-or-@.path`, joined by `&&` and `||`.
indirect enum FilterExpression: Sendable {
    case exists(JSONPath)
    case comparison(FilterOperand, FilterOperator, FilterOperand)
    case and(FilterExpression, FilterExpression)
    case or(FilterExpression, FilterExpression)
    case not(FilterExpression)

    func matches(_ candidate: TemplateValue) throws(TemplateRenderError) -> Bool {
        switch self {
        case .exists(let path):
            return try path.select(in: candidate) != nil
        case .comparison(let left, let op, let right):
            return try op.holds(left.value(for: candidate), right.value(for: candidate))
        case .and(let a, let b):
            guard try a.matches(candidate) else { return false }
            return try b.matches(candidate)
        case .or(let a, let b):
            if try a.matches(candidate) { return true }
            return try b.matches(candidate)
        case .not(let inner): return try !inner.matches(candidate)
        }
    }
}

enum FilterOperand: Sendable {
    /// `@.a.b`, relative to the candidate.
    case current(JSONPath)
    case string(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)
    case null

    func value(for candidate: TemplateValue) throws(TemplateRenderError) -> TemplateValue? {
        switch self {
        case .current(let path): try path.select(in: candidate)
        case .string(let value): .string(value)
        case .integer(let value): .integer(value)
        case .double(let value): .double(value)
        case .bool(let value): .bool(value)
        case .null: .null
        }
    }
}

enum FilterOperator: Sendable {
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual

    func holds(_ left: TemplateValue?, _ right: TemplateValue?) throws(TemplateRenderError) -> Bool {
        guard let left, let right else { return self == .notEqual && (left == nil) != (right == nil) }
        switch self {
        case .equal, .notEqual:
            let same = Self.sameKind(left, right) ? try Evaluator.equal(left, right) : false
            return self == .equal ? same : !same
        default:
            let order: Int
            if let a = left.numeric, let b = right.numeric {
                order = Evaluator.compareNumbers(a, b)
            } else if case .string(let a) = left, case .string(let b) = right {
                order = a < b ? -1 : (a > b ? 1 : 0)
            } else {
                return false
            }
            switch self {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            default: return order >= 0
            }
        }
    }

    /// Jayway compares a number with a string as unequal, unlike Velocity's `toString()` rule.
    private static func sameKind(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        switch (a, b) {
        case (.string, .string), (.bool, .bool), (.null, .null), (.list, .list), (.map, .map): true
        case (.integer, .integer), (.integer, .double), (.double, .integer), (.double, .double): true
        default: false
        }
    }
}
