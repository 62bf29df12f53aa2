public import PorticoModel

/// An HTTP API integration's `requestParameters` or one status code's `responseParameters`,
/// compiled once per deployment into operations the data plane applies in order.
///
/// Keys are `append:`, `overwrite:` or `remove:` followed by `header.{name}`,
/// `querystring.{name}`, `path` (requests) or `statuscode` (responses), as
/// AWS's "Transform API requests and responses for HTTP APIs" describes.
public struct ParameterMapping: Sendable, Equatable {
    public enum Action: Sendable, Equatable { case append, overwrite, remove }

    public enum Target: Sendable, Equatable {
        case header(String)        // name as written in the key
        case queryString(String)
        case path
        case statusCode
    }

    public struct Operation: Sendable, Equatable {
        public var action: Action
        public var target: Target
        public var value: ValueTemplate
    }

    public let operations: [Operation]

    public var isEmpty: Bool { operations.isEmpty }

    /// Whether any value reads the body (worked out once; the data plane asks per request).
    public let needsRequestBody: Bool
    public let needsResponseBody: Bool

    public init(operations: [Operation]) {
        self.operations = operations
        self.needsRequestBody = operations.contains { $0.value.needsRequestBody }
        self.needsResponseBody = operations.contains { $0.value.needsResponseBody }
    }

    /// Compiles a parameter map. Keys the management API would have refused are reported
    /// as errors here too, so a hand-edited store cannot reach the data plane.
    public init(parameters: [String: String]) throws(APIError) {
        var operations: [Operation] = []
        // AWS applies mappings without a documented order; sorting makes the result stable.
        for (key, value) in parameters.sorted(by: { $0.key < $1.key }) {
            operations.append(try Self.operation(key: key, value: value))
        }
        self.init(operations: operations)
    }

    static func operation(key: String, value: String) throws(APIError) -> Operation {
        guard let colon = key.firstIndex(of: ":") else {
            throw .badRequest("Invalid mapping expression specified: \(key)")
        }
        let action: Action
        switch key[..<colon] {
        case "append": action = .append
        case "overwrite": action = .overwrite
        case "remove": action = .remove
        default: throw .badRequest("Invalid mapping expression specified: \(key)")
        }
        let target = key[key.index(after: colon)...]
        let parsedTarget: Target
        if target.hasPrefix("header."), target.count > "header.".count {
            parsedTarget = .header(String(target.dropFirst("header.".count)))
        } else if target.hasPrefix("querystring."), target.count > "querystring.".count {
            parsedTarget = .queryString(String(target.dropFirst("querystring.".count)))
        } else if target == "path" {
            guard action == .overwrite else { throw .badRequest("Invalid mapping expression specified: \(key)") }
            parsedTarget = .path
        } else if target == "statuscode" {
            guard action == .overwrite else { throw .badRequest("Invalid mapping expression specified: \(key)") }
            parsedTarget = .statusCode
        } else {
            throw .badRequest("Invalid mapping expression specified: \(key)")
        }
        return Operation(action: action, target: parsedTarget, value: ValueTemplate(parsing: value))
    }
}

/// The values a mapping can refer to, provided by the data plane for one request.
public protocol MappingInput {
    func requestHeader(_ lowercasedName: String) -> [String]
    func requestQuery(_ name: String) -> [String]
    func requestPathParameter(_ name: String) -> String?
    var requestPath: String { get }
    func requestBody(_ path: JSONBodyPath) -> String?
    func responseHeader(_ lowercasedName: String) -> [String]
    func responseBody(_ path: JSONBodyPath) -> String?
    func context(_ name: String) -> String?
    func stageVariable(_ name: String) -> String?
}

extension ValueTemplate {
    /// Renders the template. A template that is exactly one reference to something absent
    /// renders as `nil`, so that mapping a missing header does not send an empty one.
    public func render(_ input: some MappingInput) -> String? {
        if let constant { return constant }
        if parts.count == 1, case .reference(let reference) = parts[0] {
            return Self.resolve(reference, input)
        }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .reference(let reference): out += Self.resolve(reference, input) ?? ""
            }
        }
        return out
    }

    static func resolve(_ reference: Reference, _ input: some MappingInput) -> String? {
        switch reference {
        case .requestHeader(let name):
            let values = input.requestHeader(name)
            return values.isEmpty ? nil : values.joined(separator: ",")
        case .requestMultiValueHeader(let name):
            let values = input.requestHeader(name)
            return values.isEmpty ? nil : values.joined(separator: ",")
        case .requestQuery(let name):
            // A single-value reference sees the last value, as in the payload's queryStringParameters.
            return input.requestQuery(name).last
        case .requestMultiValueQuery(let name):
            let values = input.requestQuery(name)
            return values.isEmpty ? nil : values.joined(separator: ",")
        case .requestPathParameter(let name): return input.requestPathParameter(name)
        case .requestPath: return input.requestPath
        case .requestBody(let path): return input.requestBody(path)
        case .responseHeader(let name):
            let values = input.responseHeader(name)
            return values.isEmpty ? nil : values.joined(separator: ",")
        case .responseMultiValueHeader(let name):
            let values = input.responseHeader(name)
            return values.isEmpty ? nil : values.joined(separator: ",")
        case .responseBody(let path): return input.responseBody(path)
        case .context(let name): return input.context(name)
        case .stageVariable(let name): return input.stageVariable(name)
        }
    }
}
