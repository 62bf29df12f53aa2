import Foundation

/// A `java.util.regex.Pattern` stand-in. ICU's syntax (behind `NSRegularExpression`) is close to
/// Java's for the patterns templates use (classes, quantifiers, groups, `$1` in replacements).
///
/// Immutable after init; `NSRegularExpression` is documented thread-safe, hence `@unchecked`.
final class JavaRegex: @unchecked Sendable {
    private let expression: NSRegularExpression
    /// The pattern anchored at both ends, for `String.matches` (a whole-string match in Java).
    private let wholeExpression: NSRegularExpression

    init(_ pattern: String) throws(TemplateRenderError) {
        do {
            expression = try NSRegularExpression(pattern: pattern)
            wholeExpression = try NSRegularExpression(pattern: "\\A(?:" + pattern + ")\\z")
        } catch {
            throw .invalidArgument("invalid regular expression \(pattern)")
        }
    }

    func matchesWhole(_ string: String) -> Bool {
        wholeExpression.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil
    }

    func matchCount(in string: String) -> Int {
        expression.numberOfMatches(in: string, range: NSRange(string.startIndex..., in: string))
    }

    /// `String.replaceAll` / `replaceFirst`; `$1` and `\$` in the replacement as in Java.
    func replace(in string: String, with template: String, all: Bool) -> String {
        let range = NSRange(string.startIndex..., in: string)
        if all {
            return expression.stringByReplacingMatches(in: string, range: range, withTemplate: template)
        }
        guard let match = expression.firstMatch(in: string, range: range) else { return string }
        let replacement = expression.replacementString(for: match, in: string, offset: 0, template: template)
        let mutable = NSMutableString(string: string)
        mutable.replaceCharacters(in: match.range, with: replacement)
        return String(mutable)
    }

    /// `String.split(regex, limit)`, Java 8+: a zero-width match at the start yields no leading
    /// empty string, and with `limit == 0` trailing empty strings are dropped.
    func split(_ string: String, limit: Int) -> [String] {
        let utf16 = string.utf16
        let whole = NSRange(location: 0, length: utf16.count)
        var parts: [String] = []
        var start = 0
        for match in expression.matches(in: string, range: whole) {
            if limit > 0 && parts.count == limit - 1 { break }
            if match.range.length == 0 && match.range.location == 0 { continue }
            if match.range.length == 0 && match.range.location >= utf16.count { break }
            parts.append(Self.substring(string, start, match.range.location))
            start = match.range.location + match.range.length
        }
        parts.append(Self.substring(string, start, utf16.count))
        if limit == 0 {
            while let last = parts.last, last.isEmpty, parts.count > 0 {
                parts.removeLast()
            }
            // Java returns [""] for an empty input.
            if parts.isEmpty && string.isEmpty { parts = [""] }
        }
        return parts
    }

    private static func substring(_ string: String, _ from: Int, _ to: Int) -> String {
        let utf16 = string.utf16
        let start = utf16.index(utf16.startIndex, offsetBy: from)
        let end = utf16.index(utf16.startIndex, offsetBy: to)
        return String(utf16[start..<end]) ?? ""
    }
}
