import PorticoModel

/// The three ways AWS refuses a patch operation. Which one an update uses depends on the resource
/// (recorded per operation in LocalStack's AWS snapshots); each update names its choice.
extension PatchOperation {
    /// `Invalid patch path /x` (REST APIs, methods, method responses, gateway responses, integrations).
    var invalidPath: APIError {
        .badRequest("Invalid patch path \(path ?? "null")")
    }

    /// `Invalid patch path  '/x' specified for op 'replace'. Must be one of: [...]` (resources,
    /// models, request validators; the double space is AWS's).
    func invalidPath(mustBeOneOf allowed: [String]) -> APIError {
        .badRequest("Invalid patch path  '\(path ?? "null")' specified for op '\(op.rawValue)'. Must be one of: [\(allowed.joined(separator: ", "))]")
    }

    /// A known path with an op it does not take, where the path alone is reported (resources,
    /// models, request validators).
    var unsupportedOperation: APIError {
        .badRequest("Invalid patch path  '\(path ?? "null")' specified for op '\(op.rawValue)'. Please choose supported operations")
    }

    /// A known path that only takes `replace` (REST API and method members).
    static let onlyReplace = APIError.badRequest("Invalid patch operation specified. Must be one of: [replace]")

    /// For updates whose every path takes only `replace` (resources, models, request validators,
    /// deployments): the path, after AWS's checks in AWS's order — an unknown path names the
    /// allowed ones, a known path with another op says to choose a supported one.
    func replacedPath(oneOf allowed: [String]) throws(APIError) -> String {
        guard let path, allowed.contains(path) else { throw invalidPath(mustBeOneOf: allowed) }
        guard op == .replace else { throw unsupportedOperation }
        return path
    }

    /// Throws ``onlyReplace`` unless the op is `replace`.
    func requireReplace() throws(APIError) {
        guard op == .replace else { throw Self.onlyReplace }
    }

    /// The value, which the op needs.
    func requiredValue() throws(APIError) -> String {
        guard let value else {
            throw .badRequest("Invalid null or empty value for patch operation '\(op.rawValue)' on path \(path ?? "null")")
        }
        return value
    }

    /// The value as a boolean: AWS accepts `true`/`false` in any case.
    func boolValue() throws(APIError) -> Bool {
        let text = try requiredValue()
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw .badRequest("Invalid boolean value specified for \(path ?? "null"): \(text)")
        }
    }

    func integerValue() throws(APIError) -> Int {
        let text = try requiredValue()
        guard let number = Int(text) else { throw .badRequest("Invalid integer value specified for \(path ?? "null"): \(text)") }
        return number
    }

    func doubleValue() throws(APIError) -> Double {
        let text = try requiredValue()
        guard let number = Double(text), number.isFinite else {
            throw .badRequest("Invalid number value specified for \(path ?? "null"): \(text)")
        }
        return number
    }
}
