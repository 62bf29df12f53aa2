/// A `pattern` / `patternProperties` regular expression, compiled once. JSON Schema patterns are
/// ECMA 262 and unanchored; Swift `Regex` covers the common subset. `\d` and `\w` are ASCII-only as
/// in ECMA 262, and matching is by Unicode scalar (ECMA works on code units, not grapheme clusters).
struct Pattern: @unchecked Sendable {
    // `Regex` holds an immutable compiled program; Swift's own docs treat sharing it across
    // threads as safe, and it is only ever read here.
    let source: String
    private let regex: Regex<AnyRegexOutput>

    init?(_ source: String) {
        guard let regex = try? Regex(source) else { return nil }
        self.source = source
        self.regex = regex.matchingSemantics(.unicodeScalar).asciiOnlyDigits().asciiOnlyWordCharacters()
    }

    func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }
}
