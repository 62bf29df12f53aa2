/// Expressions with Velocity 1.7's semantics: integer arithmetic stays integral (widening to
/// floating point on overflow, where Velocity widens to `BigInteger`), `+` concatenates when a
/// side is a string, and an impossible operation (`1 / 0`, `"a" * 2`) gives null rather than
/// an error, as Velocity logs and returns null.
extension Evaluator {
    func evaluate(_ expression: Expression) throws(TemplateRenderError) -> TemplateValue {
        switch expression {
        case .constant(let constant):
            switch constant {
            case .bool(let value): return .bool(value)
            case .integer(let value): return .integer(value)
            case .double(let value): return .double(value)
            case .string(let value): return .string(value)
            }
        case .reference(let reference):
            return try resolve(reference) ?? .null
        case .interpolated(let nodes):
            let outer = output
            output = ""
            defer { output = outer }
            _ = try run(nodes)
            return .string(output)
        case .list(let elements):
            var items: [TemplateValue] = []
            items.reserveCapacity(elements.count)
            for element in elements { items.append(try evaluate(element)) }
            return .list(ListBox(items))
        case .range(let from, let to):
            return try range(try evaluate(from), try evaluate(to))
        case .map(let entries):
            let map = MapBox(minimumCapacity: entries.count)
            for entry in entries { map.put(try evaluate(entry.key).text(limit: textLimit), try evaluate(entry.value)) }
            return .map(map)
        case .not(let operand):
            return .bool(!(try evaluate(operand).isTruthy))
        case .negate(let operand):
            switch try evaluate(operand) {
            case .integer(let value): return value == .min ? .double(-Double(value)) : .integer(-value)
            case .double(let value): return .double(-value)
            default: return .null
            }
        case .binary(let op, let left, let right):
            return try binary(op, left, right)
        }
    }

    /// `[a..b]`, ascending or descending, both ends included. Bounded by the iteration limit so
    /// `[1..2000000000]` cannot exhaust memory.
    private func range(_ from: TemplateValue, _ to: TemplateValue) throws(TemplateRenderError) -> TemplateValue {
        guard let start = Self.integer(from), let end = Self.integer(to) else { return .null }
        let (span, overflow) = end.subtractingReportingOverflow(start)
        let limit = template.limits.maxTotalIterations
        guard !overflow, span.magnitude < UInt64(limit) else { throw .loopLimit(limit) }
        let values = start <= end ? Array(start...end) : Array((end...start).reversed())
        return .list(ListBox(values.map { .integer($0) }))
    }

    /// An integer operand: an integer, or a string holding one (Velocity converts both).
    static func integer(_ value: TemplateValue) -> Int64? {
        switch value {
        case .integer(let value): value
        case .string(let text): Int64(text.trimmingSpaces)
        default: nil
        }
    }

    private func binary(_ op: BinaryOperator, _ leftExpression: Expression, _ rightExpression: Expression) throws(TemplateRenderError) -> TemplateValue {
        let left = try evaluate(leftExpression)
        switch op {
        case .or: return left.isTruthy ? .bool(true) : .bool(try evaluate(rightExpression).isTruthy)
        case .and: return left.isTruthy ? .bool(try evaluate(rightExpression).isTruthy) : .bool(false)
        default: break
        }
        let right = try evaluate(rightExpression)
        switch op {
        case .equal: return .bool(try Self.equal(left, right))
        case .notEqual: return .bool(!(try Self.equal(left, right)))
        case .less, .greater, .lessOrEqual, .greaterOrEqual:
            guard let order = Self.compare(left, right) else { return .bool(false) }
            switch op {
            case .less: return .bool(order < 0)
            case .greater: return .bool(order > 0)
            case .lessOrEqual: return .bool(order <= 0)
            default: return .bool(order >= 0)
            }
        case .add:
            if let a = left.numeric, let b = right.numeric { return Self.arithmetic(op, a, b) }
            guard case .string = left else {
                guard case .string = right else { return .null }
                return try concatenate(left, right)
            }
            return try concatenate(left, right)
        default:
            guard let a = left.numeric, let b = right.numeric else { return .null }
            return Self.arithmetic(op, a, b)
        }
    }

    /// `a + b` with a string side. Bounded like the output, so `#set($s = $s + $s)` in a loop
    /// cannot double a string until memory runs out.
    private func concatenate(_ left: TemplateValue, _ right: TemplateValue) throws(TemplateRenderError) -> TemplateValue {
        let result = try left.text(limit: textLimit) + right.text(limit: textLimit)
        guard result.utf8.count <= textLimit else { throw .outputLimit(textLimit) }
        return .string(result)
    }

    static func arithmetic(_ op: BinaryOperator, _ a: TemplateValue.Numeric, _ b: TemplateValue.Numeric) -> TemplateValue {
        if case .integer(let x) = a, case .integer(let y) = b {
            let result: (partialValue: Int64, overflow: Bool)
            switch op {
            case .add: result = x.addingReportingOverflow(y)
            case .subtract: result = x.subtractingReportingOverflow(y)
            case .multiply: result = x.multipliedReportingOverflow(by: y)
            case .divide:
                // Velocity logs division by zero and returns null.
                guard y != 0 else { return .null }
                result = x.dividedReportingOverflow(by: y)
            default:
                guard y != 0 else { return .null }
                result = x.remainderReportingOverflow(dividingBy: y)
            }
            if !result.overflow { return .integer(result.partialValue) }
        }
        let x = a.doubleValue
        let y = b.doubleValue
        switch op {
        case .add: return .double(x + y)
        case .subtract: return .double(x - y)
        case .multiply: return .double(x * y)
        case .divide: return y == 0 ? .null : .double(x / y)
        default: return y == 0 ? .null : .double(x.truncatingRemainder(dividingBy: y))
        }
    }

    /// Velocity 1.7's `==`: numbers by value, same-kind values by `equals`, values of different
    /// kinds by their `toString()`; null equals only null.
    static func equal(_ left: TemplateValue, _ right: TemplateValue) throws(TemplateRenderError) -> Bool {
        switch (left, right) {
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        case (.string(let a), .string(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.list(let a), .list(let b)):
            guard a.items.count == b.items.count else { return false }
            for (x, y) in zip(a.items, b.items) where !(try equal(x, y)) { return false }
            return true
        case (.map(let a), .map(let b)):
            guard a.count == b.count else { return false }
            for entry in a.entries {
                guard let other = b[entry.key], try equal(entry.value, other) else { return false }
            }
            return true
        default:
            if let a = left.numeric, let b = right.numeric { return compareNumbers(a, b) == 0 }
            return try left.text(limit: comparisonTextLimit) == right.text(limit: comparisonTextLimit)
        }
    }

    /// The most text a comparison prints of each side (comparisons have no evaluator, and so no
    /// configured limit, at hand).
    static let comparisonTextLimit = 16 << 20

    /// Ordering for `<`, `>`, `<=`, `>=`: numbers only (Velocity 1.7 logs and answers false for
    /// anything else).
    static func compare(_ left: TemplateValue, _ right: TemplateValue) -> Int? {
        guard let a = left.numeric, let b = right.numeric else { return nil }
        return compareNumbers(a, b)
    }

    static func compareNumbers(_ a: TemplateValue.Numeric, _ b: TemplateValue.Numeric) -> Int {
        if case .integer(let x) = a, case .integer(let y) = b { return x < y ? -1 : (x > y ? 1 : 0) }
        let x = a.doubleValue
        let y = b.doubleValue
        return x < y ? -1 : (x > y ? 1 : 0)
    }
}
