import PorticoModel
import PorticoObservability

/// A cached HTTP API route: the stage's cache and the route's policy.
public struct RouteCaching: Sendable {
    public let policy: MethodCachePolicy
    public let cache: ResponseCache
}

/// Response caching for HTTP API routes, which AWS does not offer. HTTP API stages have no cache fields in AWS's
/// schema (`routeSettings` holds throttling, logging and metrics only), so Portico reads its settings from the
/// stage's **tags**, which every AWS client can set (`create-stage --tags`, `tag-resource`) and which AWS would
/// keep as plain tags (docs/CACHING.md):
///
/// - `portico:cache-size` = a cache cluster size (`0.5`, `1.6`, `6.1`, ...): the stage has a cache of that many GB,
///   bounded by `--response-cache-max-bytes`, as REST stages.
/// - `portico:cache-ttl` = seconds (0–3600, default 300): `GET` routes are cached this long (REST's "only GET
///   methods have caching enabled by default"); 0 caches only routes with their own tag.
/// - `portico:cache:{routeId}` = `{ttl} [parameter ...]`: the route's own TTL (0 turns it off; any method may be
///   cached this way) and its cache key parameters: `querystring.{name}`, `header.{name}`, `path.{name}`,
///   `multivaluequerystring.{name}`, `multivalueheader.{name}`, separated by spaces.
/// - `portico:cache-invalidation` = `FAIL_WITH_403`, `SUCCEED_WITH_RESPONSE_HEADER` (default) or
///   `SUCCEED_WITHOUT_RESPONSE_HEADER` (REST's `unauthorizedCacheControlHeaderStrategy`, with authorization
///   required), or `ANYONE` (`requireAuthorizationForCacheControl: false`).
///
/// The key is the method, the route and the request path (so `/items/1` and `/items/2` of `GET /items/{id}` are
/// apart), plus the listed parameters.
extension DeploymentCompiler {
    public static let cacheSizeTag = "portico:cache-size"
    public static let cacheTtlTag = "portico:cache-ttl"
    public static let cacheInvalidationTag = "portico:cache-invalidation"
    public static let routeCacheTagPrefix = "portico:cache:"

    func httpStageCache(apiId: String, _ stage: Stage, warnings: inout [String]) -> ResponseCache? {
        guard let size = stage.tags?[Self.cacheSizeTag] else { return nil }
        guard RestStage.cacheClusterSizes.contains(size) else {
            warnings.append("stage \(stage.stageName): tag \(Self.cacheSizeTag)=\(size) is not a cache cluster size; no cache")
            return nil
        }
        return responseCaches.cache(apiId: apiId, stage: stage.stageName, clusterSize: size)
    }

    func routeCaching(_ route: Route, stage: Stage, cache: ResponseCache, apiId: String, warnings: inout [String]) -> RouteCaching? {
        let tags = stage.tags ?? [:]
        let ttl: Int
        var parameters: [CacheKeyParameter] = []
        if let text = tags[Self.routeCacheTagPrefix + route.routeId] {
            let words = text.split(separator: " ")
            guard let first = words.first, let seconds = Int(first), (0...MethodCachePolicy.maxTtlSeconds).contains(seconds) else {
                warnings.append("route \(route.routeKey): tag \(Self.routeCacheTagPrefix)\(route.routeId)=\(text) does not start with a TTL of 0-3600; not cached")
                return nil
            }
            ttl = seconds
            for word in words.dropFirst() {
                guard let parameter = CacheKeyParameter(location: word) else {
                    warnings.append("route \(route.routeKey): cache key parameter \(word) is not understood; ignored")
                    continue
                }
                parameters.append(parameter)
            }
        } else if route.routeKey.hasPrefix("GET ") {
            let text = tags[Self.cacheTtlTag]
            guard let seconds = text.map({ Int($0) }) ?? MethodCachePolicy.defaultTtlSeconds,
                (0...MethodCachePolicy.maxTtlSeconds).contains(seconds)
            else {
                warnings.append("stage \(stage.stageName): tag \(Self.cacheTtlTag)=\(text ?? "") is not a TTL of 0-3600; GET routes not cached")
                return nil
            }
            ttl = seconds
        } else {
            return nil
        }
        guard ttl > 0 else { return nil }
        var requireAuthorization = true
        var strategy = MethodCachePolicy.UnauthorizedStrategy.succeedWithResponseHeader
        if let text = tags[Self.cacheInvalidationTag] {
            if text == "ANYONE" {
                requireAuthorization = false
            } else if let parsed = MethodCachePolicy.UnauthorizedStrategy(rawValue: text) {
                strategy = parsed
            } else {
                warnings.append("stage \(stage.stageName): tag \(Self.cacheInvalidationTag)=\(text) is not understood; SUCCEED_WITH_RESPONSE_HEADER")
            }
        }
        let (hits, misses) = MethodCachePolicy.counters(metrics, apiId: apiId, stage: stage.stageName, route: route.routeKey)
        let policy = MethodCachePolicy(
            ttlSeconds: ttl, namespace: route.routeId, keyParameters: parameters, requireAuthorization: requireAuthorization,
            unauthorizedStrategy: strategy, keyIncludesPath: true, hits: hits, misses: misses)
        return RouteCaching(policy: policy, cache: cache)
    }
}
