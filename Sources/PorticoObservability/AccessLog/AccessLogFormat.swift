/// An API Gateway access-log format (`accessLogSettings.format`), compiled once per deployment.
///
/// The format is literal text with `$context.<name>` (or `${context.<name>}`) variables, as in
/// `{"requestId":"$context.requestId","status":"$context.status"}` or the CLF-like
/// `$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.routeKey $context.protocol"
/// $context.status $context.responseLength $context.requestId` (one line).
/// A variable name runs over letters, digits, `_`, `.` and `-` (API Gateway reads
/// `$context.request.header.x-id` as one name), so put a separator that is none of those after a variable.
/// Unknown or unavailable variables render as `-`, as API Gateway renders a value it does not have.
///
/// Escaping, a deliberate departure: API Gateway substitutes values verbatim, so a `"` in a user agent
/// breaks a JSON log line. Portico escapes every substituted value for the kind of format it sits in,
/// chosen from the format's first non-blank character: `{` or `[` → JSON string escapes (`\"`, `\\`,
/// `\n`, `\u001f`); `<` → XML entities (`&quot;`, `&amp;`, ...); anything else (CLF, CSV, plain text) →
/// `\"`, `\\` and `\xHH` for control bytes, as nginx and Apache do. Values without such characters (ids,
/// numbers, times: nearly all) come out byte for byte as AWS writes them. Whatever the format, a line
/// break in a value is escaped, so every request is exactly one line.
public struct AccessLogFormat: Sendable {
    /// Literal bytes (a range of ``literals``) followed by a variable, if any. Plain values throughout, so that
    /// rendering walks the compiled format without retaining or releasing anything.
    struct Segment: Sendable, Equatable {
        var literalStart: Int
        var literalEnd: Int
        var variable: AccessLogVariable?
    }

    enum Escaping: Sendable, Equatable {
        case json
        case xml
        case text
    }

    let segments: [Segment]
    /// All literal text of the format, back to back.
    let literals: [UInt8]
    /// Names of authorizer claims and context keys the format refers to.
    let names: [String]
    let escaping: Escaping
    /// Whether the format refers to `$context.path`, `$context.domainPrefix`, `$context.domainName`
    /// or `$context.identity.userAgent`: values the data plane must derive for the record, which it
    /// skips when no variable needs them.
    public let usesPath: Bool
    public let usesDomainPrefix: Bool
    public let usesDomainName: Bool
    public let usesUserAgent: Bool

    /// Compiles `format`. Never fails: check it with ``validate(_:)`` where it is accepted from a user.
    public init(_ format: String) {
        var bytes = Array(format.utf8)
        // A stored format should already be one line (validate); trimming a trailing line break (which REST
        // APIs allow) and blanking inner ones keeps "one request, one line" even for an unvalidated one.
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") {
            bytes.removeLast()
        }
        self.escaping = Self.escaping(for: bytes)

        var segments: [Segment] = []
        var literals: [UInt8] = []
        var names: [String] = []
        var literalStart = 0
        for token in Self.tokenize(bytes) {
            switch token {
            case .literal(let range):
                for byte in bytes[range] {
                    literals.append(byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") ? UInt8(ascii: " ") : byte)
                }
            case .variable(let name, _):
                let variable = AccessLogVariable(name: name, names: &names)
                segments.append(Segment(literalStart: literalStart, literalEnd: literals.count, variable: variable))
                literalStart = literals.count
            }
        }
        if literalStart < literals.count {
            segments.append(Segment(literalStart: literalStart, literalEnd: literals.count, variable: nil))
        }
        self.segments = segments
        self.literals = literals
        self.names = names
        self.usesPath = segments.contains { $0.variable == .path }
        self.usesDomainPrefix = segments.contains { $0.variable == .domainPrefix }
        self.usesDomainName = segments.contains { $0.variable == .domainName }
        self.usesUserAgent = segments.contains { $0.variable == .identityUserAgent }
    }

    private static func escaping(for bytes: [UInt8]) -> Escaping {
        let first = bytes.first { byte in
            byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t")
        }
        switch first {
        case UInt8(ascii: "{"), UInt8(ascii: "["): return .json
        case UInt8(ascii: "<"): return .xml
        default: return .text
        }
    }
}

extension AccessLogFormat {
    enum Token: Equatable {
        case literal(Range<Int>)
        /// `name` is the part after `context.`; `source` spans the whole reference, `$` (and braces) included.
        case variable(name: String, source: Range<Int>)
    }

    private static let contextPrefix = Array("context.".utf8)
    private static let bracedContextPrefix = Array("{context.".utf8)

    /// Splits a format into literal runs and variable references. Shared by compilation and validation so
    /// that both read a format the same way.
    static func tokenize(_ bytes: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var literalStart = 0
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "$"), let (name, end) = reference(in: bytes, at: index) else {
                index += 1
                continue
            }
            if literalStart < index {
                tokens.append(.literal(literalStart..<index))
            }
            tokens.append(.variable(name: name, source: index..<end))
            index = end
            literalStart = end
        }
        if literalStart < bytes.count {
            tokens.append(.literal(literalStart..<bytes.count))
        }
        return tokens
    }

    /// The variable whose `$` is at `dollar`, and the index just past it; nil when the `$` is literal text.
    private static func reference(in bytes: [UInt8], at dollar: Int) -> (String, Int)? {
        if hasPrefix(bracedContextPrefix, in: bytes, at: dollar + 1) {
            let nameStart = dollar + 1 + bracedContextPrefix.count
            let nameEnd = nameEnd(in: bytes, from: nameStart)
            guard nameEnd > nameStart, nameEnd < bytes.count, bytes[nameEnd] == UInt8(ascii: "}") else {
                return nil
            }
            return (String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self), nameEnd + 1)
        }
        if hasPrefix(contextPrefix, in: bytes, at: dollar + 1) {
            let nameStart = dollar + 1 + contextPrefix.count
            let end = nameEnd(in: bytes, from: nameStart)
            guard end > nameStart else {
                return nil
            }
            return (String(decoding: bytes[nameStart..<end], as: UTF8.self), end)
        }
        return nil
    }

    private static func nameEnd(in bytes: [UInt8], from start: Int) -> Int {
        var end = start
        while end < bytes.count, isNameByte(bytes[end]) {
            end += 1
        }
        return end
    }

    private static func hasPrefix(_ prefix: [UInt8], in bytes: [UInt8], at start: Int) -> Bool {
        guard start + prefix.count <= bytes.count else {
            return false
        }
        for offset in 0..<prefix.count where bytes[start + offset] != prefix[offset] {
            return false
        }
        return true
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
