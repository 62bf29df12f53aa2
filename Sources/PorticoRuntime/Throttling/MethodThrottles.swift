public import PorticoModel

/// The buckets of one REST stage's methods while the stage compiles: one per method that has a stage throttle,
/// made on first use, so the main deployment and its canary share it; taken from a ``ThrottleBuckets`` registry
/// when there is one, so it survives recompilation.
public struct MethodThrottles {
    public let settings: [String: MethodSetting]
    public let account: ThrottleLimit
    let apiId: String
    let stage: String
    let registry: ThrottleBuckets?
    private var buckets: [String: SharedTokenBucket] = [:]
    /// The registry keys this stage used.
    public private(set) var live: Set<ThrottleBuckets.Key> = []

    public init(settings: [String: MethodSetting], account: ThrottleLimit, apiId: String = "", stage: String = "", registry: ThrottleBuckets? = nil) {
        self.settings = settings
        self.account = account
        self.apiId = apiId
        self.stage = stage
        self.registry = registry
    }

    /// The bucket for `httpMethod` on `resourcePath`, or nil when the stage sets no throttle for it.
    public mutating func bucket(resourcePath: String, httpMethod: String) -> SharedTokenBucket? {
        let target = resourcePath + " " + httpMethod
        if let bucket = buckets[target] { return bucket }
        guard
            let limit = StageThrottles.restMethod(
                resourcePath: resourcePath, httpMethod: httpMethod, methodSettings: settings, account: account)
        else { return nil }
        let bucket: SharedTokenBucket
        if let registry {
            let key = ThrottleBuckets.Key(apiId: apiId, stage: stage, target: target, limit: limit)
            live.insert(key)
            bucket = registry.bucket(key)
        } else {
            bucket = limit.makeBucket()
        }
        buckets[target] = bucket
        return bucket
    }
}
