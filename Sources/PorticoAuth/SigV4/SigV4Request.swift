/// An incoming HTTP request, reduced to what SigV4 verification reads.
///
/// The server fills this from the request as received, without normalising anything: the
/// signature covers the path's percent-encoding, the exact query string and the header values,
/// so any cleaning-up before verification would make valid signatures fail.
public struct SigV4Request: Sendable {
    /// The HTTP method, e.g. `GET`.
    public var method: String
    /// The raw request path as on the wire, percent-encoding untouched, without the query.
    public var path: String
    /// The raw query string without `?`; `""` if there is none.
    public var query: String
    /// The headers as received: any case, repeated names possible, in order.
    public var headers: [(name: String, value: String)]
    /// Lower-case hex SHA-256 of the body (``SigV4Verifier/sha256Hex(_:)``).
    public var bodySHA256: String

    public init(method: String, path: String, query: String, headers: [(name: String, value: String)], bodySHA256: String) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.bodySHA256 = bodySHA256
    }
}
