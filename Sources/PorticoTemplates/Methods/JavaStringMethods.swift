/// `java.lang.String`'s methods as templates call them. Indices and lengths count UTF-16 code
/// units, as Java's do, so `substring` and `indexOf` agree with API Gateway on non-ASCII text.
/// A Java exception (`StringIndexOutOfBoundsException`, a bad regex) becomes a render error, as
/// Velocity turns it into a `MethodInvocationException`.
extension Evaluator {
    func stringMethod(_ call: MethodCall, on string: String, _ arguments: [TemplateValue]) throws(TemplateRenderError) -> TemplateValue? {
        switch (call.name, arguments.count) {
        case (.length, 0): return .integer(Int64(string.utf16.count))
        case (.isEmpty, 0): return .bool(string.isEmpty)
        case (.trim, 0): return .string(string.trimmingSpaces)
        case (.toLowerCase, 0): return .string(string.lowercased())
        case (.toUpperCase, 0): return .string(string.uppercased())
        case (.toString, 0): return .string(string)
        case (.hashCode, 0): return .integer(Int64(Self.javaHashCode(string)))
        case (.substring, 1), (.substring, 2):
            let units = Array(string.utf16)
            guard let begin = Self.int(arguments[0]) else { return nil }
            let end = arguments.count == 2 ? Self.int(arguments[1]) : units.count
            guard let end else { return nil }
            guard begin >= 0, end <= units.count, begin <= end else {
                throw .invalidArgument("substring(\(begin), \(end)) out of range for length \(units.count)")
            }
            return .string(String(decoding: units[begin..<end], as: UTF16.self))
        case (.charAt, 1):
            let units = Array(string.utf16)
            guard let index = Self.int(arguments[0]) else { return nil }
            guard units.indices.contains(index) else { throw .invalidArgument("charAt(\(index)) out of range for length \(units.count)") }
            return .string(String(decoding: units[index...index], as: UTF16.self))
        case (.indexOf, 1), (.indexOf, 2), (.lastIndexOf, 1):
            guard case .string(let needle) = arguments[0] else { return nil }
            let from = arguments.count == 2 ? Self.int(arguments[1]) ?? 0 : 0
            let position = call.name == .indexOf
                ? Self.indexOf(Array(needle.utf16), in: Array(string.utf16), from: from)
                : Self.lastIndexOf(Array(needle.utf16), in: Array(string.utf16))
            return .integer(Int64(position))
        case (.contains, 1), (.startsWith, 1), (.endsWith, 1), (.equalsIgnoreCase, 1), (.concat, 1), (.compareTo, 1):
            guard case .string(let other) = arguments[0] else {
                return call.name == .equalsIgnoreCase ? .bool(false) : nil
            }
            switch call.name {
            case .contains: return .bool(other.isEmpty || Self.indexOf(Array(other.utf16), in: Array(string.utf16), from: 0) >= 0)
            case .startsWith: return .bool(string.utf16.starts(with: other.utf16))
            case .endsWith: return .bool(string.utf16.reversed().starts(with: other.utf16.reversed()))
            case .equalsIgnoreCase: return .bool(string.lowercased() == other.lowercased())
            case .concat:
                guard string.utf8.count + other.utf8.count <= textLimit else { throw .outputLimit(textLimit) }
                return .string(string + other)
            default: return .integer(Int64(Self.compareUTF16(string, other)))
            }
        case (.equals, 1):
            if case .string(let other) = arguments[0] { return .bool(string == other) }
            return .bool(false)
        case (.replace, 2):
            guard let target = Self.charSequence(arguments[0]), let replacement = Self.charSequence(arguments[1]) else { return nil }
            try checkReplacementSize(string, occurrences: Self.occurrences(of: target, in: string), replacement: replacement)
            return .string(Self.replaceLiteral(target, with: replacement, in: string))
        case (.replaceAll, 2), (.replaceFirst, 2):
            guard case .string(let pattern) = arguments[0], case .string(let replacement) = arguments[1] else { return nil }
            let regex = try regex(for: call, pattern: pattern)
            let all = call.name == .replaceAll
            try checkReplacementSize(string, occurrences: all ? regex.matchCount(in: string) : 1, replacement: replacement)
            return .string(regex.replace(in: string, with: replacement, all: all))
        case (.matches, 1):
            guard case .string(let pattern) = arguments[0] else { return nil }
            return .bool(try regex(for: call, pattern: pattern).matchesWhole(string))
        case (.split, 1), (.split, 2):
            guard case .string(let pattern) = arguments[0] else { return nil }
            let limit = arguments.count == 2 ? Self.int(arguments[1]) ?? 0 : 0
            let parts = try regex(for: call, pattern: pattern).split(string, limit: limit)
            return .list(ListBox(parts.map { .string($0) }))
        default:
            return nil
        }
    }

    /// Refuses a replacement whose result would pass the text limit, before building it: one
    /// `replace` can multiply a string's length.
    private func checkReplacementSize(_ string: String, occurrences: Int, replacement: String) throws(TemplateRenderError) {
        let (growth, overflow) = occurrences.multipliedReportingOverflow(by: replacement.utf8.count)
        guard !overflow, string.utf8.count + growth <= textLimit else { throw .outputLimit(textLimit) }
    }

    /// How many times `replace` will substitute (an empty target matches between all characters).
    private static func occurrences(of target: String, in string: String) -> Int {
        let needle = Array(target.utf16)
        let haystack = Array(string.utf16)
        guard !needle.isEmpty else { return haystack.count + 1 }
        var count = 0
        var position = indexOf(needle, in: haystack, from: 0)
        while position >= 0 {
            count += 1
            position = indexOf(needle, in: haystack, from: position + needle.count)
        }
        return count
    }

    /// An `int` argument: Velocity passes integers; a whole double does not convert in Java.
    static func int(_ value: TemplateValue) -> Int? {
        if case .integer(let value) = value { return Int(exactly: value) }
        return nil
    }

    /// A `CharSequence` (or `char`) argument.
    private static func charSequence(_ value: TemplateValue) -> String? {
        if case .string(let value) = value { return value }
        return nil
    }

    static func indexOf(_ needle: [UInt16], in haystack: [UInt16], from: Int) -> Int {
        let start = max(0, from)
        guard needle.count <= haystack.count else { return -1 }
        if needle.isEmpty { return min(start, haystack.count) }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return -1
    }

    private static func lastIndexOf(_ needle: [UInt16], in haystack: [UInt16]) -> Int {
        guard needle.count <= haystack.count else { return -1 }
        var index = haystack.count - needle.count
        while index >= 0 {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index -= 1
        }
        return -1
    }

    /// `String.replace(CharSequence, CharSequence)`: every occurrence, left to right; an empty
    /// target puts the replacement between all characters and at both ends.
    static func replaceLiteral(_ target: String, with replacement: String, in string: String) -> String {
        let units = Array(string.utf16)
        let needle = Array(target.utf16)
        let insert = Array(replacement.utf16)
        var result: [UInt16] = []
        result.reserveCapacity(units.count)
        if needle.isEmpty {
            for unit in units {
                result.append(contentsOf: insert)
                result.append(unit)
            }
            result.append(contentsOf: insert)
            return String(decoding: result, as: UTF16.self)
        }
        var index = 0
        while index < units.count {
            if index + needle.count <= units.count && units[index..<(index + needle.count)].elementsEqual(needle) {
                result.append(contentsOf: insert)
                index += needle.count
            } else {
                result.append(units[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF16.self)
    }

    private static func compareUTF16(_ a: String, _ b: String) -> Int {
        for (x, y) in zip(a.utf16, b.utf16) where x != y { return Int(x) - Int(y) }
        return a.utf16.count - b.utf16.count
    }

    /// `String.hashCode()`: `s[0]*31^(n-1) + … + s[n-1]` in 32-bit arithmetic.
    static func javaHashCode(_ string: String) -> Int32 {
        var hash: Int32 = 0
        for unit in string.utf16 { hash = hash &* 31 &+ Int32(unit) }
        return hash
    }
}
