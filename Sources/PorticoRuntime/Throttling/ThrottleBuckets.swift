import Synchronization

/// The stage buckets of every compiled API, so that a bucket outlives the compilation that made it: recompiling an
/// API (any change to it: an unrelated route, a redeploy, an auto-deploy) hands its methods and routes the same
/// buckets, with the tokens they had, as long as their limit is the same. A changed limit gets a new, full bucket.
/// Only the compilers touch this registry (under its lock); the request path reads the buckets the compiled tables
/// hold.
public final class ThrottleBuckets: Sendable {
    public struct Key: Hashable, Sendable {
        public var apiId: String
        public var stage: String
        /// `GET /pets` (an HTTP API route key) or `/pets GET` (a REST resource path and method).
        public var target: String
        public var limit: ThrottleLimit

        public init(apiId: String, stage: String, target: String, limit: ThrottleLimit) {
            self.apiId = apiId
            self.stage = stage
            self.target = target
            self.limit = limit
        }
    }

    private let buckets = Mutex<[Key: SharedTokenBucket]>([:])

    public init() {}

    /// The bucket for `key`, made full when there is none.
    public func bucket(_ key: Key) -> SharedTokenBucket {
        buckets.withLock { all in
            if let existing = all[key] { return existing }
            let bucket = key.limit.makeBucket()
            all[key] = bucket
            return bucket
        }
    }

    /// Forgets the buckets of `apiId` that its latest compilation did not use.
    public func retain(apiId: String, live: Set<Key>) {
        buckets.withLock { all in
            for key in all.keys where key.apiId == apiId && !live.contains(key) { all.removeValue(forKey: key) }
        }
    }

    /// Forgets every bucket of a deleted API.
    public func remove(apiId: String) {
        retain(apiId: apiId, live: [])
    }

    /// How many buckets are kept (tests).
    public var count: Int { buckets.withLock { $0.count } }
}
