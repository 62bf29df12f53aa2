/// A `pattern` / `patternProperties` regular expression, compiled once. JSON Schema patterns are
/// ECMA 262 and unanchored; Swift `Regex` covers the common subset. `\d` and `\w` are ASCII-only as
/// in ECMA 262, and matching is by Unicode scalar (ECMA works on code units, not grapheme clusters).
struct Pattern: @unchecked Sendable {
    // `Regex` is not declared `Sendable`, but it is an immutable value whose only lazily built part,
    // the matching program, is published with an atomic compare-and-swap by the regex engine; it is
    // built here in `init`, so matches afterwards only read it.
    let source: String
    private let regex: Regex<AnyRegexOutput>

    init?(_ source: String) {
        guard let regex = try? Regex(source) else { return nil }
        self.source = source
        self.regex = regex.matchingSemantics(.unicodeScalar).asciiOnlyDigits().asciiOnlyWordCharacters()
        // `Regex` builds its matching program on first use; do it now rather than on a request.
        _ = try? self.regex.firstMatch(in: "")
    }

    func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }
}
