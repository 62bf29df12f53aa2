import Foundation
import PorticoModel

/// The JSONPath subset API Gateway's HTTP API parameter mapping accepts after `$request.body` and
/// `$response.body`: `.name`, `['name']` and `[index]` steps from the root.
///
/// Used only for routes whose mappings refer to the body; those bodies are buffered (within the
/// payload limit) and parsed once.
struct JSONBodyPath {
    enum Step: Equatable {
        case key(String)
        case index(Int)
    }

    let steps: [Step]

    init?(_ text: String) {
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
        self.steps = steps
    }

    /// The value at this path in `document` as mapping text: strings as they are, numbers and
    /// booleans as JSON literals, objects and arrays as compact JSON; nil when absent or null.
    func text(in document: JSONValue?) -> String? {
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

extension JSONValue {
    /// Parses a buffered body; nil when it is not JSON (then body references map to nothing).
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        guard !bytes.isEmpty else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }
}
