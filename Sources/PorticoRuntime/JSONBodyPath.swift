public import PorticoModel

/// The JSONPath subset API Gateway's HTTP API parameter mapping accepts after `$request.body` and
/// `$response.body`: `.name`, `['name']` and `[index]` steps from the root.
///
/// Parsed once per deployment; only routes whose mappings refer to the body have their bodies
/// buffered (within the payload limit) and parsed, once per request.
public struct JSONBodyPath: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    /// The path as written after `$request.body` / `$response.body`, e.g. `.items[0].sku`.
    public let source: String
    /// nil when the path does not parse: it then selects nothing.
    public let steps: [Step]?

    public init(_ text: String) {
        source = text
        steps = Self.parse(text)
    }

    static func parse(_ text: String) -> [Step]? {
        var steps: [Step] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                let name = rest[..<end]
                guard !name.isEmpty else { return nil }
                steps.append(.key(String(name)))
                rest = rest[end...]
            } else if rest.hasPrefix("['"), let close = rest.range(of: "']") {
                steps.append(.key(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<close.lowerBound])))
                rest = rest[close.upperBound...]
            } else if rest.hasPrefix("["), let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]) {
                steps.append(.index(index))
                rest = rest[rest.index(after: close)...]
            } else {
                return nil
            }
        }
        return steps
    }

    /// The value at this path in `document` as mapping text: strings as they are, numbers and
    /// booleans as JSON literals, objects and arrays as compact JSON; nil when absent or null.
    public func text(in document: JSONValue?) -> String? {
        guard let steps else { return nil }
        var current = document
        for step in steps {
            switch (step, current) {
            case (.key(let key), .object(let object)?): current = object[key]
            case (.index(let index), .array(let array)?) where array.indices.contains(index): current = array[index]
            default: return nil
            }
        }
        switch current {
        case nil, .null?: return nil
        case .string(let string)?: return string
        case let value?: return value.jsonText
        }
    }
}
