/// A resource's path part as AWS accepts it: a literal (`pets`), a path variable (`{petId}`) or a
/// greedy path variable (`{proxy+}`), which must be the last part of any path.
public enum RestPathPart: Sendable, Equatable {
    case literal(String)
    case variable(String)
    case greedy(String)

    /// Parses a path part; `nil` when AWS would refuse it (see ``invalidMessage``).
    public init?(parsing text: String) {
        guard !text.isEmpty else { return nil }
        if text.hasPrefix("{") || text.hasSuffix("}") {
            guard text.hasPrefix("{"), text.hasSuffix("}"), text.utf8.count > 2 else { return nil }
            var name = Substring(text.dropFirst().dropLast())
            let greedy = name.hasSuffix("+")
            if greedy { name = name.dropLast() }
            guard !name.isEmpty, name.utf8.allSatisfy(Self.isNameByte) else { return nil }
            self = greedy ? .greedy(String(name)) : .variable(String(name))
        } else {
            guard text.utf8.allSatisfy(Self.isNameByte) else { return nil }
            self = .literal(text)
        }
    }

    public var isVariable: Bool {
        if case .literal = self { return false }
        return true
    }

    public var isGreedy: Bool {
        if case .greedy = self { return true }
        return false
    }

    /// AWS's message for a path part it refuses (BadRequestException).
    public static let invalidMessage =
        "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace."

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
    }
}
