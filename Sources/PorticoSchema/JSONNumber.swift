import PorticoModel

/// A JSON number kept as sent: 64-bit integers compare exactly, anything else as a `Double`.
enum JSONNumber: Sendable, Equatable {
    case integer(Int64)
    case double(Double)

    init?(_ value: JSONValue) {
        switch value {
        case .integer(let integer): self = .integer(integer)
        case .number(let double): self = .double(double)
        default: return nil
        }
    }

    var double: Double {
        switch self {
        case .integer(let integer): Double(integer)
        case .double(let double): double
        }
    }

    /// -1, 0 or 1 as `self` is below, equal to or above `other`.
    func compare(to other: JSONNumber) -> Int {
        if case .integer(let a) = self, case .integer(let b) = other { return a < b ? -1 : (a == b ? 0 : 1) }
        let a = double, b = other.double
        return a < b ? -1 : (a == b ? 0 : 1)
    }

    /// Whether `self` is an integer multiple of `divisor` (> 0). Integers divide exactly; other numbers
    /// allow for binary rounding (`0.0075` is a multiple of `0.0001`).
    func isMultiple(of divisor: JSONNumber) -> Bool {
        if case .integer(let a) = self, case .integer(let b) = divisor { return a % b == 0 }
        let quotient = double / divisor.double
        guard quotient.isFinite else { return false }
        let nearest = quotient.rounded()
        return abs(quotient - nearest) <= max(1e-9, nearest.ulp * 4)
    }

    var text: String {
        switch self {
        case .integer(let integer): String(integer)
        case .double(let double): String(double)
        }
    }
}

extension JSONValue {
    /// JSON equality as the schema keywords mean it (`enum`, `uniqueItems`): numbers compare by value,
    /// so `1` equals `1.0`.
    func schemaEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.integer(let a), .integer(let b)): return a == b
        case (.integer, .number), (.number, .integer), (.number, .number):
            return numberValue == other.numberValue
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            for index in a.indices where !a[index].schemaEquals(b[index]) { return false }
            return true
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let otherValue = b[key], value.schemaEquals(otherValue) else { return false }
            }
            return true
        default:
            return false
        }
    }
}
