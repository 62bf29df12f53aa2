/// The `format` values draft 4 defines, checked cheaply; any other format is accepted unchecked.
enum Format: String, Sendable {
    case dateTime = "date-time"
    case email
    case hostname
    case ipv4
    case ipv6
    case uri

    /// The UTF-8 bytes of the string being checked, read in place.
    private typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    func accepts(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            let bytes = buffer[...]
            switch self {
            case .dateTime: return Self.isDateTime(bytes)
            case .email: return Self.isEmail(bytes)
            case .hostname: return Self.isHostname(bytes)
            case .ipv4: return Self.isIPv4(bytes)
            case .ipv6: return Self.isIPv6(bytes)
            case .uri: return Self.isURI(bytes)
            }
        }
    }

    var describedAs: String {
        switch self {
        case .dateTime: "a valid date-time (RFC 3339)"
        case .email: "a valid email address"
        case .hostname: "a valid hostname"
        case .ipv4: "a valid IPv4 address"
        case .ipv6: "a valid IPv6 address"
        case .uri: "a valid URI"
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66) }
    private static func isAlpha(_ byte: UInt8) -> Bool { byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A }

    /// The value of `count` decimal digits at `start`; nil if any is not a digit or the text is too short.
    private static func number(_ bytes: Bytes, _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<start + count] {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// RFC 3339 `date-time`: `YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm)`, `T` and `Z` in either case.
    private static func isDateTime(_ b: Bytes) -> Bool {
        guard let year = number(b, 0, 4), b.count > 19, b[4] == 0x2D, let month = number(b, 5, 2), b[7] == 0x2D,
            let day = number(b, 8, 2), b[10] | 0x20 == 0x74, let hour = number(b, 11, 2), b[13] == 0x3A,
            let minute = number(b, 14, 2), b[16] == 0x3A, let second = number(b, 17, 2)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), day >= 1, day <= days[month - 1], hour < 24, minute < 60, second <= 60 else { return false }
        var index = 19
        if b[index] == 0x2E {
            index += 1
            let start = index
            while index < b.count, isDigit(b[index]) { index += 1 }
            guard index > start, index < b.count else { return false }
        }
        if b[index] | 0x20 == 0x7A { return index + 1 == b.count }
        guard b[index] == 0x2B || b[index] == 0x2D, let offsetHour = number(b, index + 1, 2), index + 3 < b.count,
            b[index + 3] == 0x3A, let offsetMinute = number(b, index + 4, 2), index + 6 == b.count
        else { return false }
        return offsetHour < 24 && offsetMinute < 60
    }

    /// One `@`, something before it, a dotless-or-dotted domain after it, no spaces.
    private static func isEmail(_ b: Bytes) -> Bool {
        guard let at = b.firstIndex(of: 0x40), at > 0, at < b.count - 1, b.lastIndex(of: 0x40) == at else { return false }
        return !b.contains { $0 <= 0x20 } && b[at + 1] != 0x2E && b.last != 0x2E
    }

    /// RFC 1034 host name: dot-separated labels of letters, digits and inner hyphens, 63 bytes a label, 255 in all.
    private static func isHostname(_ b: Bytes) -> Bool {
        guard !b.isEmpty, b.count <= 255 else { return false }
        for label in b.split(separator: 0x2E, omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.count <= 63, label.first != 0x2D, label.last != 0x2D,
                label.allSatisfy({ isAlpha($0) || isDigit($0) || $0 == 0x2D })
            else { return false }
        }
        return true
    }

    /// Dotted quad, each part 0-255 without leading zeros.
    private static func isIPv4(_ b: Bytes) -> Bool {
        let parts = b.split(separator: 0x2E, omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.allSatisfy(isDigit), part.count == 1 || part.first != 0x30 else { return false }
            return part.reduce(0) { $0 * 10 + Int($1 - 0x30) } <= 255
        }
    }

    /// RFC 4291 text form: eight hex groups, or fewer around one `::`, optionally ending in a dotted quad.
    private static func isIPv6(_ b: Bytes) -> Bool {
        guard b.count >= 2, b.count <= 45 else { return false }
        var text = b
        var groupsNeeded = 8
        if let lastColon = text.lastIndex(of: 0x3A), text[(lastColon + 1)...].contains(0x2E) {
            guard isIPv4(text[(lastColon + 1)...]) else { return false }
            text = text[...lastColon]
            if !(text.count >= 2 && text[text.endIndex - 2] == 0x3A) { text = text.dropLast() }
            groupsNeeded = 6
        }
        var doubleColon: Int?
        var index = text.startIndex
        while index < text.endIndex - 1 {
            if text[index] == 0x3A && text[index + 1] == 0x3A {
                guard doubleColon == nil else { return false }
                doubleColon = index
                index += 2
            } else {
                index += 1
            }
        }
        guard let split = doubleColon else { return hexGroups(text) == groupsNeeded }
        guard let head = hexGroups(text[..<split]), let tail = hexGroups(text[(split + 2)...]) else { return false }
        return head + tail < groupsNeeded
    }

    /// How many `:`-separated groups of 1-4 hex digits `text` holds (0 when empty); nil if malformed.
    private static func hexGroups(_ text: Bytes) -> Int? {
        if text.isEmpty { return 0 }
        let groups = text.split(separator: 0x3A, omittingEmptySubsequences: false)
        guard groups.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy(isHex) }) else { return nil }
        return groups.count
    }

    /// An absolute URI: a scheme (`letter *(letter / digit / + - .)`), `:`, and no spaces or controls.
    private static func isURI(_ b: Bytes) -> Bool {
        guard let colon = b.firstIndex(of: 0x3A), colon > 0, isAlpha(b[0]) else { return false }
        guard b[1..<colon].allSatisfy({ isAlpha($0) || isDigit($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }) else { return false }
        return !b.contains { $0 <= 0x20 || $0 == 0x7F || $0 == 0x22 || $0 == 0x3C || $0 == 0x3E || $0 == 0x5C || $0 == 0x5E || $0 == 0x60 || $0 == 0x7B || $0 == 0x7C || $0 == 0x7D }
    }
}
