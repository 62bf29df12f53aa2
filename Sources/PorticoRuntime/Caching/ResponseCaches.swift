import Synchronization

/// A cache the management API can empty (FlushStageCache, FlushStageAuthorizersCache).
public protocol FlushableCache: AnyObject, Sendable {
    func removeAll()
}

extension ResponseCache: FlushableCache {}
extension AuthorizerResultCache: FlushableCache {}

/// Every stage's response cache, by API and stage, so that a cache outlives the compilations of its stage.
///
/// AWS's cache belongs to the stage, not to a deployment: redeploying keeps what is cached (AWS tells users to
/// flush after a deployment), while turning the cache cluster off, resizing it or deleting the stage throws it
/// away ("API Gateway changes caching capacity by removing the existing cache instance and creating a new one").
/// The compiler asks for a stage's cache by cluster size (``cache(apiId:stage:clusterSize:)``: the same object
/// while the size stays) and tells which stages of an API still have one (``retain(apiId:stages:)``). The
/// registry holds caches weakly: a cache lives as long as a compiled table holds it, so a deleted API's caches
/// go with its last table. It also knows each stage's Lambda authorizer result caches, for
/// FlushStageAuthorizersCache. Nothing on the request path touches it.
public final class ResponseCaches: Sendable {
    /// The default `--response-cache-max-bytes`: a stage's cache holds at most this, whatever its cluster size.
    public static let defaultMaxBytes = 64 << 20

    private struct StageKey: Hashable {
        var apiId: String
        var stage: String
    }

    private struct WeakResponseCache {
        weak var cache: ResponseCache?
        /// The `cacheClusterSize` it was made for: a new size is a new cache even when the capacity, bounded by
        /// ``maxBytesPerStage``, stays the same.
        var clusterSize: String
    }

    private struct WeakFlushable {
        weak var cache: (any FlushableCache)?
    }

    private struct State {
        var responses: [StageKey: WeakResponseCache] = [:]
        var authorizers: [StageKey: [WeakFlushable]] = [:]
    }

    /// The most bytes one stage's cache holds (`portico serve --response-cache-max-bytes`).
    public let maxBytesPerStage: Int
    private let state = Mutex(State())

    public init(maxBytesPerStage: Int = ResponseCaches.defaultMaxBytes) {
        self.maxBytesPerStage = maxBytesPerStage
    }

    /// The capacity of a cache cluster of `size` (`cacheClusterSize`, in GB as AWS names them: "0.5" is half a
    /// gibibyte), bounded by ``maxBytesPerStage``. An unknown size counts as AWS's default, 0.5.
    public func capacityBytes(clusterSize: String?) -> Int {
        let gigabytes = clusterSize.flatMap(Double.init) ?? 0.5
        let bytes = gigabytes * Double(1 << 30)
        return bytes >= Double(maxBytesPerStage) ? maxBytesPerStage : Int(bytes)
    }

    /// The stage's cache: the one it has while its cluster size stays the same, else a new, empty one.
    public func cache(apiId: String, stage: String, clusterSize: String) -> ResponseCache {
        let key = StageKey(apiId: apiId, stage: stage)
        return state.withLock { state in
            if let entry = state.responses[key], let existing = entry.cache, entry.clusterSize == clusterSize {
                return existing
            }
            let cache = ResponseCache(capacityBytes: capacityBytes(clusterSize: clusterSize))
            state.responses[key] = WeakResponseCache(cache: cache, clusterSize: clusterSize)
            return cache
        }
    }

    /// Forgets the caches of the API's stages that are not in `stages` (cache turned off, stage deleted): turning
    /// a cache on again starts empty, as AWS creates a new cache instance.
    public func retain(apiId: String, stages: Set<String>) {
        state.withLock { state in
            state.responses = state.responses.filter { key, entry in
                entry.cache != nil && (key.apiId != apiId || stages.contains(key.stage))
            }
        }
    }

    /// Records Lambda authorizer result caches of the stage; `replacing` forgets those recorded before (its
    /// previous compilation's).
    public func addAuthorizerCaches(apiId: String, stage: String, _ caches: [any FlushableCache], replacing: Bool) {
        state.withLock { state in
            let key = StageKey(apiId: apiId, stage: stage)
            var list = replacing ? [] : state.authorizers[key] ?? []
            list += caches.map { WeakFlushable(cache: $0) }
            state.authorizers[key] = list
            state.authorizers = state.authorizers.filter { _, caches in caches.contains { entry in entry.cache != nil } }
        }
    }

    /// Empties the stage's response cache; false when the stage has none.
    @discardableResult
    public func flushResponses(apiId: String, stage: String) -> Bool {
        guard let cache = state.withLock({ $0.responses[StageKey(apiId: apiId, stage: stage)]?.cache }) else { return false }
        cache.removeAll()
        return true
    }

    /// Empties the stage's Lambda authorizer result caches.
    public func flushAuthorizers(apiId: String, stage: String) {
        let caches = state.withLock { $0.authorizers[StageKey(apiId: apiId, stage: stage)] ?? [] }
        for entry in caches { entry.cache?.removeAll() }
    }

    /// The stage's response cache, if it has one (tests, diagnostics).
    public func existingCache(apiId: String, stage: String) -> ResponseCache? {
        state.withLock { $0.responses[StageKey(apiId: apiId, stage: stage)]?.cache }
    }
}
