public import Foundation

/// A REST API deployment's metadata (`CreateDeployment`, `GetDeployment`). What it deployed is kept
/// apart, in a ``RestDeploymentSnapshot``; `apiSummary` is filled from the snapshot when a client
/// asks for it (`embed=apisummary`).
public struct RestDeployment: Codable, Sendable, Equatable {
    public var id: String
    public var description: String?
    public var createdDate: Date?
    /// Resource path → HTTP method → what the deployment requires of a caller.
    public var apiSummary: [String: [String: MethodSnapshot]]?

    public init(id: String, description: String?, createdDate: Date?) {
        self.id = id
        self.description = description
        self.createdDate = createdDate
    }
}

/// A deployed method in a deployment's `apiSummary`.
public struct MethodSnapshot: Codable, Sendable, Equatable {
    public var authorizationType: String?
    public var apiKeyRequired: Bool?

    public init(authorizationType: String?, apiKeyRequired: Bool?) {
        self.authorizationType = authorizationType
        self.apiKeyRequired = apiKeyRequired
    }
}
