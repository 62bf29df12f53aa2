public import PorticoModel

/// API keys and usage plans compiled for the data plane: immutable, swapped with the ``RuntimeTable``, read without
/// locks. What it holds per key and stage is resolved once: the plan, its quota and its throttles (buckets
/// per key, as AWS applies usage-plan throttles per API key). Quota counts live in ``QuotaCounter``s, which the
/// table only references, so they survive recompilation.
public final class UsagePlanTable: Sendable {
    /// By key value (what `x-api-key` or an authorizer's `usageIdentifierKey` carries).
    public let keysByValue: [String: RuntimeApiKey]

    public init(keysByValue: [String: RuntimeApiKey]) {
        self.keysByValue = keysByValue
    }

    public static let empty = UsagePlanTable(keysByValue: [:])
}

/// One API key: whether it is enabled, and the plan that covers it on each REST API stage.
public final class RuntimeApiKey: Sendable {
    public let id: String
    public let enabled: Bool
    /// REST API id → stage name → the plan covering this key there (a key is in at most one plan per stage).
    public let plans: [String: [String: RuntimeKeyPlan]]

    public init(id: String, enabled: Bool, plans: [String: [String: RuntimeKeyPlan]]) {
        self.id = id
        self.enabled = enabled
        self.plans = plans
    }

    public func plan(restApiId: String, stage: String) -> RuntimeKeyPlan? {
        plans[restApiId]?[stage]
    }
}

/// A key under one plan on one stage: quota and throttles.
public final class RuntimeKeyPlan: Sendable {
    public let usagePlanId: String
    /// `nil`: no quota (requests are still counted, for GetUsage).
    public let quotaLimit: Int64?
    public let period: QuotaPeriod
    public let offset: Int
    public let counter: QuotaCounter
    /// The plan's throttle, for this key.
    public let throttle: SharedTokenBucket?
    /// `"/{resourcePath}/{httpMethod}"` → this stage's per-method throttle in the plan, for this key.
    public let methodThrottles: [String: SharedTokenBucket]

    public init(
        usagePlanId: String, quotaLimit: Int64?, period: QuotaPeriod, offset: Int, counter: QuotaCounter,
        throttle: SharedTokenBucket?, methodThrottles: [String: SharedTokenBucket]
    ) {
        self.usagePlanId = usagePlanId
        self.quotaLimit = quotaLimit
        self.period = period
        self.offset = offset
        self.counter = counter
        self.throttle = throttle
        self.methodThrottles = methodThrottles
    }

    /// The bucket a request to `methodKey` (`"/pets/GET"`) takes from: the method's, else the plan's.
    public func bucket(methodKey: String) -> SharedTokenBucket? {
        methodThrottles.isEmpty ? throttle : (methodThrottles[methodKey] ?? throttle)
    }

    /// Counts the request against the quota; `false` when the quota of the current period is used up.
    public func admit(day: Int) -> Bool {
        counter.admit(limit: quotaLimit, periodStart: period.start(containing: day, offset: offset), day: day)
    }
}

/// Compiles keys and plans into a ``UsagePlanTable``.
public enum UsagePlanCompiler {
    /// - Parameters:
    ///   - today: the current UTC epoch day (the quota periods counters start in).
    ///   - usedSince: requests a key made under a plan from an epoch day to today, from the stored history
    ///     (asked only for counters that do not exist yet).
    public static func compile(
        keys: [ApiKey], plans: [UsagePlanDocument], counters: UsageCounters, today: Int,
        usedSince: (_ usagePlanId: String, _ keyId: String, _ fromDay: Int) -> Int64
    ) -> UsagePlanTable {
        var live = Set<UsageCounters.Key>()
        var plansByKey: [String: [String: [String: RuntimeKeyPlan]]] = [:]
        for document in plans {
            let plan = document.plan
            let quota = plan.quota
            let period = quota?.period.flatMap(QuotaPeriod.init(rawValue:))
            let limit = period == nil ? nil : quota?.limit.map(Int64.init)
            let calendarPeriod = period ?? .day
            let offset = period == nil ? 0 : (quota?.offset ?? 0)
            let periodStart = calendarPeriod.start(containing: today, offset: offset)
            for keyId in document.keyIds {
                let counterKey = UsageCounters.Key(usagePlanId: plan.id, keyId: keyId, calendar: "\(calendarPeriod.rawValue):\(offset)")
                live.insert(counterKey)
                let counter = counters.counter(counterKey, periodStart: periodStart) { usedSince(plan.id, keyId, periodStart) }
                for stage in plan.apiStages {
                    let methodThrottles = (stage.throttle ?? [:]).compactMapValues(bucket)
                    let keyPlan = RuntimeKeyPlan(
                        usagePlanId: plan.id, quotaLimit: limit, period: calendarPeriod, offset: offset, counter: counter,
                        throttle: plan.throttle.flatMap(bucket), methodThrottles: methodThrottles)
                    plansByKey[keyId, default: [:]][stage.apiId, default: [:]][stage.stage] = keyPlan
                }
            }
        }
        counters.retain(live)
        var keysByValue: [String: RuntimeApiKey] = [:]
        for key in keys {
            guard let value = key.value else { continue }
            keysByValue[value] = RuntimeApiKey(id: key.id, enabled: key.enabled, plans: plansByKey[key.id] ?? [:])
        }
        return UsagePlanTable(keysByValue: keysByValue)
    }

    /// A bucket for a throttle with both members; AWS fills a missing member with the account's
    /// (Portico: a throttle missing either member does not limit).
    static func bucket(_ settings: ThrottleSettings) -> SharedTokenBucket? {
        guard let rate = settings.rateLimit, let burst = settings.burstLimit else { return nil }
        return SharedTokenBucket(rate: rate, burst: burst)
    }
}
