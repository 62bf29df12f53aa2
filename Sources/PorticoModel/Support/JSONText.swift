/// Small helpers for writing JSON text by hand where going through `JSONEncoder` would be
/// wasteful (error bodies on hot paths, access-log lines).
public enum JSONText {
    /// `value` as a JSON string literal, quotes included.
    public static func quoted(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        escape(value, into: &out)
        out.append("\"")
        return out
    }

    /// Appends `value` escaped for use inside a JSON string literal.
    public static func escape(_ value: String, into out: inout String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: out.unicodeScalars.append(scalar)
            }
        }
    }
}
