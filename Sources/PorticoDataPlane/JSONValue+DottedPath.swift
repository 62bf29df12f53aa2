import PorticoModel

extension JSONValue {
    /// The scalar at a dotted path (`authorizer.principalId`) through nested objects, as mapping sources
    /// read `context.*` (REST and WebSocket): strings as they are, numbers and booleans spelled out, nil
    /// for anything else or a path that leads nowhere.
    func scalarText(atDottedPath path: String) -> String? {
        var value: JSONValue? = self
        for part in path.split(separator: ".") {
            guard case .object(let members) = value else { return nil }
            value = members[String(part)]
        }
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .bool(let flag): return String(flag)
        default: return nil
        }
    }
}
