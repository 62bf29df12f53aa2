public import PorticoModel

/// An HTTP API's CORS configuration, compiled once per deployment into ready header values.
///
/// Mirrors AWS's "Configuring CORS for an HTTP API": the gateway answers preflight `OPTIONS`
/// requests itself (even without an `OPTIONS` route), adds the configured headers to responses
/// for allowed origins, and ignores CORS headers the integration returns.
public struct CorsPolicy: Sendable, Equatable {
    public let allowAnyOrigin: Bool
    public let origins: Set<String>
    /// `https://*.example.com` patterns, kept as (scheme+"://", suffix after "*").
    public let wildcardOrigins: [(prefix: String, suffix: String)]
    public let allowMethods: String?
    public let allowHeaders: String?
    public let exposeHeaders: String?
    public let maxAge: String?
    public let allowCredentials: Bool

    public static func == (lhs: CorsPolicy, rhs: CorsPolicy) -> Bool {
        lhs.allowAnyOrigin == rhs.allowAnyOrigin && lhs.origins == rhs.origins
            && lhs.wildcardOrigins.map { $0.prefix + "*" + $0.suffix } == rhs.wildcardOrigins.map { $0.prefix + "*" + $0.suffix }
            && lhs.allowMethods == rhs.allowMethods && lhs.allowHeaders == rhs.allowHeaders
            && lhs.exposeHeaders == rhs.exposeHeaders && lhs.maxAge == rhs.maxAge && lhs.allowCredentials == rhs.allowCredentials
    }

    public init(_ configuration: CorsConfiguration) {
        let origins = configuration.allowOrigins ?? []
        self.allowAnyOrigin = origins.contains("*")
        var exact = Set<String>()
        var wildcards: [(String, String)] = []
        for origin in origins where origin != "*" {
            if let star = origin.firstIndex(of: "*") {
                wildcards.append((String(origin[..<star]), String(origin[origin.index(after: star)...])))
            } else {
                exact.insert(origin.lowercased())
            }
        }
        self.origins = exact
        self.wildcardOrigins = wildcards
        self.allowMethods = Self.join(configuration.allowMethods)
        self.allowHeaders = Self.join(configuration.allowHeaders)
        self.exposeHeaders = Self.join(configuration.exposeHeaders)
        self.maxAge = configuration.maxAge.flatMap { $0 >= 0 ? String($0) : nil }
        self.allowCredentials = configuration.allowCredentials ?? false
    }

    static func join(_ values: [String]?) -> String? {
        guard let values, !values.isEmpty else { return nil }
        return values.joined(separator: ",")
    }

    /// The `Access-Control-Allow-Origin` value for a request's `Origin`, or nil when the origin
    /// is not allowed (then no CORS headers are sent at all).
    public func allowOrigin(for origin: String) -> String? {
        if allowAnyOrigin { return "*" }
        if origins.contains(origin.lowercased()) { return origin }
        for (prefix, suffix) in wildcardOrigins where origin.hasPrefix(prefix) && origin.hasSuffix(suffix) {
            if origin.count > prefix.count + suffix.count { return origin }
        }
        return nil
    }

    /// Headers for a preflight answer to an allowed origin.
    public func preflightHeaders(allowOrigin: String) -> [(String, String)] {
        var headers: [(String, String)] = [("access-control-allow-origin", allowOrigin)]
        if let allowMethods { headers.append(("access-control-allow-methods", allowMethods)) }
        if let allowHeaders { headers.append(("access-control-allow-headers", allowHeaders)) }
        if let exposeHeaders { headers.append(("access-control-expose-headers", exposeHeaders)) }
        if let maxAge { headers.append(("access-control-max-age", maxAge)) }
        if allowCredentials { headers.append(("access-control-allow-credentials", "true")) }
        return headers
    }

    /// Headers added to an integration's response for an allowed origin.
    public func responseHeaders(allowOrigin: String) -> [(String, String)] {
        var headers: [(String, String)] = [("access-control-allow-origin", allowOrigin)]
        if let exposeHeaders { headers.append(("access-control-expose-headers", exposeHeaders)) }
        if allowCredentials { headers.append(("access-control-allow-credentials", "true")) }
        return headers
    }
}
