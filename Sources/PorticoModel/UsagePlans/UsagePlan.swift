/// A usage plan (`CreateUsagePlan`): the API stages it covers (each with optional per-method throttles), a
/// throttle and a quota that apply to each of its keys separately.
public struct UsagePlan: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String?
    public var apiStages: [UsagePlanApiStage]
    public var throttle: ThrottleSettings?
    public var quota: QuotaSettings?
    public var productCode: String?
    public var tags: [String: String]?

    public init(id: String, name: String) {
        self.id = id
        self.name = name
        self.apiStages = []
    }

    /// AWS's usage plan ids have 6 lower-case letters and digits.
    public static let idLength = 6
}

/// One API stage of a usage plan; `throttle` maps `"/{resourcePath}/{httpMethod}"` to that method's throttle.
public struct UsagePlanApiStage: Codable, Sendable, Equatable {
    public var apiId: String
    public var stage: String
    public var throttle: [String: ThrottleSettings]?

    public init(apiId: String, stage: String, throttle: [String: ThrottleSettings]? = nil) {
        self.apiId = apiId
        self.stage = stage
        self.throttle = throttle
    }

    /// `{apiId}:{stage}`, as UpdateUsagePlan's `/apiStages` values name a stage.
    public var reference: String { "\(apiId):\(stage)" }
}

/// A token bucket's settings: `rateLimit` requests per second on average, `burstLimit` at once.
public struct ThrottleSettings: Codable, Sendable, Equatable {
    public var burstLimit: Int?
    public var rateLimit: Double?

    public init(burstLimit: Int? = nil, rateLimit: Double? = nil) {
        self.burstLimit = burstLimit
        self.rateLimit = rateLimit
    }
}

/// A usage plan's quota: at most `limit` requests per key in each `period`.
public struct QuotaSettings: Codable, Sendable, Equatable {
    public var limit: Int?
    public var offset: Int?
    public var period: String?

    public init(limit: Int? = nil, offset: Int? = nil, period: String? = nil) {
        self.limit = limit
        self.offset = offset
        self.period = period
    }

    public static let periods = ["DAY", "WEEK", "MONTH"]
}

/// What the store keeps per usage plan: the plan and the ids of its API keys (its usage plan keys).
public struct UsagePlanDocument: Codable, Sendable, Equatable {
    public var plan: UsagePlan
    public var keyIds: [String]

    public init(plan: UsagePlan, keyIds: [String] = []) {
        self.plan = plan
        self.keyIds = keyIds
    }
}

/// Requests a key made under a plan on one UTC day (`yyyy-MM-dd`): the durable usage history.
public struct UsageRecord: Sendable, Equatable {
    public var usagePlanId: String
    public var keyId: String
    public var day: String
    public var used: Int64

    public init(usagePlanId: String, keyId: String, day: String, used: Int64) {
        self.usagePlanId = usagePlanId
        self.keyId = keyId
        self.day = day
        self.used = used
    }
}
