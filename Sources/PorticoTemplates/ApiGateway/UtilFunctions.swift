import Foundation

/// `$util`: the six functions AWS's reference lists. Each takes a string; any other value is
/// used through its `toString()`, and null gives null (Velocity then renders the reference).
extension Evaluator {
    func utilMethod(_ name: MethodName, _ arguments: [TemplateValue]) throws(TemplateRenderError) -> TemplateValue? {
        guard arguments.count == 1, !arguments[0].isNull else { return nil }
        let text = try arguments[0].text(limit: textLimit)
        switch name {
        case .escapeJavaScript: return .string(UtilFunctions.escapeJavaScript(text))
        case .parseJson: return try JSONParser.parse(text)
        case .urlEncode: return .string(UtilFunctions.urlEncode(text))
        case .urlDecode: return .string(try UtilFunctions.urlDecode(text))
        case .base64Encode: return .string(Data(text.utf8).base64EncodedString())
        case .base64Decode:
            guard let data = Data(base64Encoded: text) else { throw .invalidArgument("base64Decode: invalid base64 input") }
            return .string(String(decoding: data, as: UTF8.self))
        default: return nil
        }
    }
}

enum UtilFunctions {
    /// Apache Commons Lang's `StringEscapeUtils.escapeJavaScript`: `'` `"` `\` `/` get a
    /// backslash, control characters their short escapes or `\u00XX`, and every UTF-16 unit
    /// above 0x7F becomes `\uXXXX` (upper-case hex). AWS documents the `\'` this produces.
    static func escapeJavaScript(_ text: String) -> String {
        // Most values need no escaping; return them without building a copy.
        let needsEscaping = text.utf8.contains { byte in
            byte < 0x20 || byte >= 0x80 || byte == 0x27 || byte == 0x22 || byte == 0x5C || byte == 0x2F
        }
        guard needsEscaping else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for unit in text.utf16 {
            switch unit {
            case 0x27: out.append("\\'")
            case 0x22: out.append("\\\"")
            case 0x5C: out.append("\\\\")
            case 0x2F: out.append("\\/")
            case 0x08: out.append("\\b")
            case 0x0A: out.append("\\n")
            case 0x09: out.append("\\t")
            case 0x0C: out.append("\\f")
            case 0x0D: out.append("\\r")
            case 0..<0x20, 0x80...:
                out.append("\\u")
                let hex = String(unit, radix: 16, uppercase: true)
                out.append(String(repeating: "0", count: 4 - hex.count))
                out.append(hex)
            default:
                out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            }
        }
        return out
    }

    /// `java.net.URLEncoder.encode(text, "UTF-8")`: letters, digits and `.-*_` stay, a space is
    /// `+`, every other byte is `%XX` (upper-case hex).
    static func urlEncode(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "_"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out.append("+")
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out.append(hex.count == 1 ? "%0" + hex : "%" + hex)
            }
        }
        return out
    }

    /// `java.net.URLDecoder.decode(text, "UTF-8")`: `+` is a space, `%XX` a byte; a truncated or
    /// non-hex escape is an error, as Java throws `IllegalArgumentException`.
    static func urlDecode(_ text: String) throws(TemplateRenderError) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
                index += 1
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, let high = HexDigit.value(bytes[index + 1]), let low = HexDigit.value(bytes[index + 2]) else {
                    throw .invalidArgument("urlDecode: incomplete or invalid % escape")
                }
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
