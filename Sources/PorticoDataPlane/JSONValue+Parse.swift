import PorticoModel

extension JSONValue {
    /// Parses a buffered body; nil when it is not JSON (then body references map to nothing).
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        guard !bytes.isEmpty else { return nil }
        return JSONParser.parse(bytes)
    }
}
