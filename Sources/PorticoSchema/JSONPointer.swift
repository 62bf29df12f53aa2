import Foundation
import PorticoModel

/// JSON pointers (RFC 6901) as `$ref` fragments use them: `~0` and `~1` escapes, and percent-escapes
/// since a fragment is part of a URI (`#/definitions/a%25b` names `a%b`).
enum JSONPointer {
    /// The reference tokens of a fragment without its `#`; nil when it is not a pointer.
    static func tokens(fragment: Substring) -> [String]? {
        guard let decoded = String(fragment).removingPercentEncoding else { return nil }
        if decoded.isEmpty { return [] }
        guard decoded.hasPrefix("/") else { return nil }
        return decoded.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { token in
            token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    /// Tokens written back as a pointer, escaped.
    static func text(_ tokens: some Sequence<String>) -> String {
        var out = ""
        for token in tokens {
            out.append("/")
            out.append(escape(token))
        }
        return out
    }

    static func escape(_ token: String) -> String {
        guard token.contains(where: { $0 == "~" || $0 == "/" }) else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// The value `tokens` point at inside `root`.
    static func resolve(_ tokens: [String], in root: JSONValue) -> JSONValue? {
        var current = root
        for token in tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Int(token), index >= 0, index < elements.count, String(index) == token else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }
}
