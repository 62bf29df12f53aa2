public import Foundation

/// A stage of a REST API (`CreateStage`, `UpdateStage`): a name in the invoke URL, the deployment
/// it serves, stage variables, per-method settings (`*/*` for all methods), an optional canary,
/// and the cache/tracing/access-log switches.
public struct RestStage: Codable, Sendable, Equatable {
    public var stageName: String
    public var deploymentId: String?
    public var clientCertificateId: String?
    public var description: String?
    public var cacheClusterEnabled: Bool
    public var cacheClusterSize: String?
    public var cacheClusterStatus: String
    /// `{resourcePath without its leading slash}/{httpMethod}` (or `*/*`) → settings.
    public var methodSettings: [String: MethodSetting]
    public var variables: [String: String]?
    public var documentationVersion: String?
    public var accessLogSettings: AccessLogSettings?
    public var canarySettings: CanarySettings?
    public var tracingEnabled: Bool
    public var webAclArn: String?
    public var tags: [String: String]?
    public var createdDate: Date?
    public var lastUpdatedDate: Date?

    public init(stageName: String, deploymentId: String?, createdDate: Date?) {
        self.stageName = stageName
        self.deploymentId = deploymentId
        self.createdDate = createdDate
        self.lastUpdatedDate = createdDate
        self.cacheClusterEnabled = false
        self.cacheClusterStatus = Self.cacheNotAvailable
        self.methodSettings = [:]
        self.tracingEnabled = false
    }

    public static let cacheNotAvailable = "NOT_AVAILABLE"
    public static let cacheAvailable = "AVAILABLE"
    public static let cacheClusterSizes = ["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"]

    /// The deployments the stage serves: its own and its canary's.
    public var deploymentIds: [String] {
        [deploymentId, canarySettings?.deploymentId].compactMap { $0 }
    }
}

/// Per-method stage settings. A new entry starts from AWS's defaults (what `GetStage` shows after
/// a single setting was patched): metrics and caching off, logging `OFF`, the account's throttle.
public struct MethodSetting: Codable, Sendable, Equatable {
    public var metricsEnabled: Bool = false
    public var loggingLevel: String = "OFF"
    public var dataTraceEnabled: Bool = false
    public var throttlingBurstLimit: Int = 5000
    public var throttlingRateLimit: Double = 10000.0
    public var cachingEnabled: Bool = false
    public var cacheTtlInSeconds: Int = 300
    public var cacheDataEncrypted: Bool = false
    public var requireAuthorizationForCacheControl: Bool = true
    public var unauthorizedCacheControlHeaderStrategy: String = "SUCCEED_WITH_RESPONSE_HEADER"

    public init() {}

    public static let loggingLevels = ["OFF", "ERROR", "INFO"]
    public static let cacheControlStrategies = ["FAIL_WITH_403", "SUCCEED_WITH_RESPONSE_HEADER", "SUCCEED_WITHOUT_RESPONSE_HEADER"]
}

/// A stage's canary: a second deployment that takes `percentTraffic` percent of the requests,
/// with stage-variable overrides.
public struct CanarySettings: Codable, Sendable, Equatable {
    public var percentTraffic: Double?
    public var deploymentId: String?
    public var stageVariableOverrides: [String: String]?
    public var useStageCache: Bool?

    public init(
        percentTraffic: Double? = nil, deploymentId: String? = nil, stageVariableOverrides: [String: String]? = nil,
        useStageCache: Bool? = nil
    ) {
        self.percentTraffic = percentTraffic
        self.deploymentId = deploymentId
        self.stageVariableOverrides = stageVariableOverrides
        self.useStageCache = useStageCache
    }
}
