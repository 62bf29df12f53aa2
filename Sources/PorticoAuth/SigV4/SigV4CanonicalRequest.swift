/// A SigV4 canonical request, built the way botocore's `SigV4Auth.canonical_request` builds it for
/// every service but S3.
///
/// This is the one canonicalisation in Portico: ``SigV4Verifier`` rebuilds what the client signed
/// and ``SigV4Signer`` builds what Lambda will rebuild, so the two cannot drift apart.
///
/// The six lines, joined with `\n`:
/// 1. the method, upper-cased;
/// 2. the canonical URI — the raw path with dot segments and empty segments removed, then
///    URI-encoded *again* (so `%2F` on the wire signs as `%252F`); S3 alone skips this;
/// 3. the canonical query — names and values decoded, re-encoded, sorted by name then value;
/// 4. the canonical headers — `name:value\n` per signed header, values trimmed with inner
///    whitespace runs collapsed, repeated headers joined with `,`;
/// 5. the signed header names, `;`-separated;
/// 6. the payload hash — `x-amz-content-sha256` when the request carries it, else the body's.
struct SigV4CanonicalRequest: Sendable, Equatable {
    var method: String
    var uri: String
    var query: String
    /// One `name:value\n` line per signed header, in `signedHeaders` order.
    var headers: String
    var signedHeaders: String
    var payloadHash: String

    /// The canonical request text whose SHA-256 goes into the string to sign.
    var text: String {
        [method, uri, query, headers, signedHeaders, payloadHash].joined(separator: "\n")
    }

    /// Builds the canonical request from request parts as they are on the wire.
    ///
    /// - Parameters:
    ///   - rawPath: the path exactly as received, percent-encoding untouched.
    ///   - rawQuery: the query string without `?`, as received.
    ///   - signedHeaderNames: lower-case header names, in the order the client listed them.
    ///   - headers: every header as received; names are matched case-insensitively.
    ///   - excludingQueryNames: decoded query names left out (`X-Amz-Signature` for presigned URLs).
    init(
        method: String,
        rawPath: String,
        rawQuery: String,
        signedHeaderNames: [String],
        headers: [(name: String, value: String)],
        payloadHash: String,
        excludingQueryNames: Set<String> = []
    ) {
        self.method = method.uppercased()
        self.uri = Self.canonicalURI(rawPath: rawPath)
        self.query = Self.canonicalQuery(rawQuery: rawQuery, excluding: excludingQueryNames)
        self.headers = Self.canonicalHeaders(names: signedHeaderNames, from: headers)
        self.signedHeaders = signedHeaderNames.joined(separator: ";")
        self.payloadHash = payloadHash
    }

    /// botocore's `quote(normalize_url_path(path), safe='/~')`.
    ///
    /// `normalize_url_path` is RFC 3986 "remove dot segments" plus dropping empty segments, with
    /// the leading slash kept and a trailing slash kept when anything is left. It works on the
    /// encoded path, so `%2E%2E` is not a dot segment.
    static func canonicalURI(rawPath: String) -> String {
        guard !rawPath.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in rawPath.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        var normalized = rawPath.hasPrefix("/") ? "/" : ""
        normalized += segments.joined(separator: "/")
        if rawPath.hasSuffix("/"), !segments.isEmpty { normalized += "/" }
        return SigV4PercentEncoding.encode(normalized.utf8, keepingSlash: true)
    }

    /// The canonical query string: each `name=value` pair decoded and re-encoded, pairs sorted by
    /// encoded name and then encoded value (repeated names therefore sort by value), a bare
    /// `name` becoming `name=`.
    ///
    /// botocore sends queries already encoded this way, so for botocore the result is its own
    /// `_canonical_query_string_url`; decoding first also accepts clients that encode less (or
    /// send a space as `+`), as AWS does.
    static func canonicalQuery(rawQuery: String, excluding excludedNames: Set<String> = []) -> String {
        guard !rawQuery.isEmpty else { return "" }
        var pairs: [(name: String, value: String)] = []
        for component in rawQuery.split(separator: "&", omittingEmptySubsequences: false) {
            let (rawName, rawValue) = splitOnce(component, at: "=")
            let name = SigV4PercentEncoding.decodeQueryComponent(rawName)
            if !excludedNames.isEmpty, excludedNames.contains(String(decoding: name, as: UTF8.self)) { continue }
            let value = SigV4PercentEncoding.decodeQueryComponent(rawValue ?? "")
            pairs.append(
                (
                    SigV4PercentEncoding.encode(name, keepingSlash: false),
                    SigV4PercentEncoding.encode(value, keepingSlash: false)
                ))
        }
        pairs.sort { lhs, rhs in
            if lhs.name != rhs.name { return lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8) }
            return lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
        }
        return pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// `name:value\n` for each of `names`, where value is every matching header's trimmed value
    /// joined with `,`, in the order received.
    static func canonicalHeaders(names: [String], from headers: [(name: String, value: String)]) -> String {
        var text = ""
        for name in names {
            let values = headers.lazy.filter { $0.name.lowercased() == name }.map { trimAll($0.value) }
            text += name + ":" + values.joined(separator: ",") + "\n"
        }
        return text
    }

    /// botocore's `' '.join(value.split())`: no leading or trailing whitespace and every inner run
    /// of whitespace collapsed to one space.
    static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: isPythonWhitespace).joined(separator: " ")
    }

    /// What Python's `str.split()` with no argument splits on.
    private static func isPythonWhitespace(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
        }
    }

    private static func splitOnce(_ text: Substring, at separator: Character) -> (Substring, Substring?) {
        guard let index = text.firstIndex(of: separator) else { return (text, nil) }
        return (text[..<index], text[text.index(after: index)...])
    }
}
