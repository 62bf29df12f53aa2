public import PorticoObservability

/// How one REST method (or HTTP API route) uses its stage's response cache, resolved at compile time from the
/// stage's method settings (`caching/*`) and the integration's `cacheNamespace` and `cacheKeyParameters`.
public struct MethodCachePolicy: Sendable {
    /// `unauthorizedCacheControlHeaderStrategy`: what a `Cache-Control: max-age=0` request that may not
    /// invalidate gets.
    public enum UnauthorizedStrategy: String, Sendable {
        /// "Fail the request with 403 status code".
        case failWith403 = "FAIL_WITH_403"
        /// "Ignore cache control header; Add a warning in response header".
        case succeedWithResponseHeader = "SUCCEED_WITH_RESPONSE_HEADER"
        /// "Ignore cache control header".
        case succeedWithoutResponseHeader = "SUCCEED_WITHOUT_RESPONSE_HEADER"
    }

    public let ttlNanos: UInt64
    /// `cacheNamespace` (AWS: the resource id unless set; methods sharing one share entries).
    public let namespace: String
    public let keyParameters: [CacheKeyParameter]
    /// `requireAuthorizationForCacheControl`.
    public let requireAuthorization: Bool
    public let unauthorizedStrategy: UnauthorizedStrategy
    /// HTTP APIs (a Portico extension): the request path is part of the key, so `/items/1` and `/items/2` of a
    /// route `/items/{id}` are apart without naming `path.id`. REST methods follow AWS: only the listed parameters.
    public let keyIncludesPath: Bool
    /// `CacheHitCount` and `CacheMissCount` of the method.
    public let hits: Counter
    public let misses: Counter

    public init(
        ttlSeconds: Int, namespace: String, keyParameters: [CacheKeyParameter], requireAuthorization: Bool,
        unauthorizedStrategy: UnauthorizedStrategy, keyIncludesPath: Bool = false, hits: Counter, misses: Counter
    ) {
        self.ttlNanos = UInt64(max(0, ttlSeconds)) * 1_000_000_000
        self.namespace = namespace
        self.keyParameters = keyParameters
        self.requireAuthorization = requireAuthorization
        self.unauthorizedStrategy = unauthorizedStrategy
        self.keyIncludesPath = keyIncludesPath
        self.hits = hits
        self.misses = misses
    }

    /// AWS's bounds: "The default TTL value for API caching is 300 seconds. The maximum TTL value is 3600
    /// seconds. TTL=0 means caching is disabled."
    public static let defaultTtlSeconds = 300
    public static let maxTtlSeconds = 3600

    /// The Prometheus names of the two counters (labels `api_id`, `stage`, `route`).
    public static let hitsMetric = "portico_cache_hits_total"
    public static let missesMetric = "portico_cache_misses_total"

    /// The method's two counters, from the registry (the same objects across recompilations).
    public static func counters(_ metrics: MetricsRegistry, apiId: String, stage: String, route: String) -> (Counter, Counter) {
        let labels = ["api_id": apiId, "stage": stage, "route": route]
        return (
            metrics.counter(hitsMetric, help: "Requests answered from the stage's response cache (CloudWatch: CacheHitCount).", labels: labels),
            metrics.counter(missesMetric, help: "Cacheable requests that went to the integration (CloudWatch: CacheMissCount).", labels: labels)
        )
    }

    /// Whether a `Cache-Control` header value asks to invalidate (`max-age=0` among its directives).
    public static func asksToInvalidate(_ value: String) -> Bool {
        for directive in value.split(separator: ",") {
            let trimmed = directive.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }
            if String(trimmed.reversed()).lowercased() == "max-age=0" { return true }
        }
        return false
    }

    /// The cache key of one request: its method, the namespace, optionally its path, then each key parameter's
    /// value. Every part is prefixed with its length and an absent value is marked apart from an empty one, so no
    /// two different requests make the same key (a separator alone could be forged inside a value).
    public func key(method: String, path: Substring, value: (CacheKeyParameter) -> String?) -> String {
        var key = ""
        key.reserveCapacity(namespace.utf8.count + 32)
        Self.append(method, to: &key)
        Self.append(namespace, to: &key)
        if keyIncludesPath { Self.append(String(path), to: &key) }
        for parameter in keyParameters {
            if let found = value(parameter) { Self.append(found, to: &key) } else { key += "-;" }
        }
        return key
    }

    private static func append(_ part: String, to key: inout String) {
        key += String(part.utf8.count)
        key += ":"
        key += part
    }
}

/// One of an integration's `cacheKeyParameters`: `method.request.{querystring|header|path}.{name}` (and their
/// multi-value forms), or, for HTTP API routes, `querystring.{name}`, `header.{name}`, `path.{name}`.
public enum CacheKeyParameter: Sendable, Equatable {
    case query(String)
    case multiValueQuery(String)
    /// The name lowercased: headers match case-insensitively.
    case header(String)
    case multiValueHeader(String)
    case path(String)

    /// Parses `method.request.querystring.type` and the like; nil for anything else.
    public init?(methodRequest text: String) {
        guard text.hasPrefix("method.request.") else { return nil }
        self.init(location: text.dropFirst("method.request.".count))
    }

    /// Parses `querystring.type`, `header.Accept`, `path.id` (and `multivaluequerystring.`, `multivalueheader.`).
    public init?(location text: Substring) {
        guard let dot = text.firstIndex(of: ".") else { return nil }
        let name = String(text[text.index(after: dot)...])
        guard !name.isEmpty else { return nil }
        switch text[..<dot] {
        case "querystring": self = .query(name)
        case "multivaluequerystring": self = .multiValueQuery(name)
        case "header": self = .header(name.lowercased())
        case "multivalueheader": self = .multiValueHeader(name.lowercased())
        case "path": self = .path(name)
        default: return nil
        }
    }
}
