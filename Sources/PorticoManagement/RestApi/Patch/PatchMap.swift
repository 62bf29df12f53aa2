import PorticoModel

/// Applying `add`/`replace`/`remove` to one entry of a string-keyed map member
/// (`/requestTemplates/application~1json`, `/variables/name`, ...), the shape most `apigateway`
/// map updates share.
enum PatchMap {
    /// Applies `operation` to `map[key]`, converting the value with `convert`. `replace` and
    /// `remove` of a missing key throw `missing` when given (AWS answers 404 for some maps, e.g.
    /// "Invalid parameter name specified"); otherwise `replace` adds and `remove` is a no-op.
    static func apply<Value>(
        _ operation: PatchOperation, key: String, to map: inout [String: Value]?, missing: APIError? = nil,
        convert: (String) throws(APIError) -> Value
    ) throws(APIError) {
        var entries = map ?? [:]
        switch operation.op {
        case .add:
            entries[key] = try convert(operation.requiredValue())
        case .replace:
            if let missing, entries[key] == nil { throw missing }
            entries[key] = try convert(operation.requiredValue())
        case .remove:
            if let missing, entries[key] == nil { throw missing }
            entries.removeValue(forKey: key)
        default:
            throw operation.invalidPath
        }
        map = entries
    }

    /// ``apply(_:key:to:missing:convert:)`` for string values.
    static func apply(
        _ operation: PatchOperation, key: String, to map: inout [String: String]?, missing: APIError? = nil
    ) throws(APIError) {
        try apply(operation, key: key, to: &map, missing: missing) { (value: String) throws(APIError) -> String in value }
    }
}
