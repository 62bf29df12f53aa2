import PorticoModel

/// One management API request, fully read: the request line split into path and query, the
/// headers, and the body (within the configured limit).
struct ManagementRequest: Sendable {
    var method: String
    /// The path as sent, still percent-encoded (what SigV4 signs).
    var rawPath: String
    /// The query string as sent, without `?`.
    var rawQuery: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    init(method: String, uri: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        if let mark = uri.firstIndex(of: "?") {
            rawPath = String(uri[..<mark])
            rawQuery = String(uri[uri.index(after: mark)...])
        } else {
            rawPath = uri
            rawQuery = ""
        }
        self.headers = headers
        self.body = body
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name }?.value
    }

    /// The query parameters, decoded; a name may repeat (`tagKeys=a&tagKeys=b`).
    func queryItems() throws(APIError) -> [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentEncoding.decode(parts[0]),
                let value = parts.count > 1 ? PercentEncoding.decode(parts[1]) : ""
            else {
                throw .badRequest("Invalid query string: malformed percent-encoding in '\(pair)'.")
            }
            items.append((name, value))
        }
        return items
    }
}
