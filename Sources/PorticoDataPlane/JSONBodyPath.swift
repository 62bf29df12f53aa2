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
    func text(in document: JSONDocument?) -> String? {
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

/// A parsed JSON body (only for routes whose mappings refer to the body).
enum JSONDocument: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONDocument])
    case object([String: JSONDocument])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONDocument].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONDocument].self))
        }
    }

    /// Parses a buffered body; nil when it is not JSON (then body references map to nothing).
    static func parse(_ bytes: [UInt8]) -> JSONDocument? {
        guard !bytes.isEmpty else { return nil }
        return try? JSONDecoder().decode(JSONDocument.self, from: Data(bytes))
    }

    var jsonText: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .string(let value): JSONText.quoted(value)
        case .array(let values): "[" + values.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let members): "{" + members.sorted { $0.key < $1.key }.map { JSONDocument.string($0.key).jsonText + ":" + $0.value.jsonText }.joined(separator: ",") + "}"
        }
    }
}
