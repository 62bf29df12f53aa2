public import Foundation

/// A stage of an HTTP API: a name (`$default` takes the whole path), the deployment it serves,
/// stage variables, throttling defaults and access-log settings.
public struct Stage: Codable, Sendable, Equatable {
    public var accessLogSettings: AccessLogSettings?
    public var apiGatewayManaged: Bool?
    public var autoDeploy: Bool?
    public var clientCertificateId: String?
    public var createdDate: Date?
    public var defaultRouteSettings: RouteSettings?
    public var deploymentId: String?
    public var description: String?
    public var lastDeploymentStatusMessage: String?
    public var lastUpdatedDate: Date?
    public var routeSettings: [String: RouteSettings]?
    public var stageName: String
    public var stageVariables: [String: String]?
    public var tags: [String: String]?

    public init(stageName: String, createdDate: Date? = nil) {
        self.stageName = stageName
        self.createdDate = createdDate
        self.lastUpdatedDate = createdDate
        self.autoDeploy = false
        self.defaultRouteSettings = RouteSettings(detailedMetricsEnabled: false)
        self.routeSettings = [:]
        self.stageVariables = [:]
        self.tags = [:]
    }

    /// The name of the stage that takes every path not claimed by a named stage.
    public static let defaultStageName = "$default"
}

public struct RouteSettings: Codable, Sendable, Equatable {
    public var dataTraceEnabled: Bool?
    public var detailedMetricsEnabled: Bool?
    public var loggingLevel: String?
    public var throttlingBurstLimit: Int?
    public var throttlingRateLimit: Double?

    public init(
        dataTraceEnabled: Bool? = nil, detailedMetricsEnabled: Bool? = nil, loggingLevel: String? = nil,
        throttlingBurstLimit: Int? = nil, throttlingRateLimit: Double? = nil
    ) {
        self.dataTraceEnabled = dataTraceEnabled
        self.detailedMetricsEnabled = detailedMetricsEnabled
        self.loggingLevel = loggingLevel
        self.throttlingBurstLimit = throttlingBurstLimit
        self.throttlingRateLimit = throttlingRateLimit
    }
}

public struct AccessLogSettings: Codable, Sendable, Equatable {
    public var destinationArn: String?
    public var format: String?
    public init(destinationArn: String? = nil, format: String? = nil) {
        self.destinationArn = destinationArn
        self.format = format
    }
}
