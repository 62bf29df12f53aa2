public import PorticoModel

/// The buckets of one REST stage's methods while the stage compiles: one per method that has a stage throttle,
/// made on first use, so the main deployment and its canary share it.
public struct MethodThrottles {
    public let settings: [String: MethodSetting]
    public let account: ThrottleLimit
    private var buckets: [String: SharedTokenBucket] = [:]

    public init(settings: [String: MethodSetting], account: ThrottleLimit) {
        self.settings = settings
        self.account = account
    }

    /// The bucket for `httpMethod` on `resourcePath`, or nil when the stage sets no throttle for it.
    public mutating func bucket(resourcePath: String, httpMethod: String) -> SharedTokenBucket? {
        let key = resourcePath + " " + httpMethod
        if let bucket = buckets[key] { return bucket }
        guard
            let limit = StageThrottles.restMethod(
                resourcePath: resourcePath, httpMethod: httpMethod, methodSettings: settings, account: account)
        else { return nil }
        let bucket = limit.makeBucket()
        buckets[key] = bucket
        return bucket
    }
}
