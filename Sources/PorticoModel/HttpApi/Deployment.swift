public import Foundation

/// A deployment's metadata, as `GetDeployment` returns it. What it deployed is kept apart, in a
/// ``DeploymentSnapshot``.
public struct Deployment: Codable, Sendable, Equatable {
    public var autoDeployed: Bool?
    public var createdDate: Date?
    public var deploymentId: String
    public var deploymentStatus: String?
    public var deploymentStatusMessage: String?
    public var description: String?

    public init(deploymentId: String, createdDate: Date?, description: String? = nil, autoDeployed: Bool = false) {
        self.deploymentId = deploymentId
        self.createdDate = createdDate
        self.description = description
        self.autoDeployed = autoDeployed
        self.deploymentStatus = "DEPLOYED"
    }
}

/// An immutable copy of what an API defined when it was deployed: its routes, its integrations
/// and the API-level settings the data plane needs (CORS, the execute-api switch). Stages point
/// at snapshots; the data plane compiles them.
public struct DeploymentSnapshot: Codable, Sendable, Equatable {
    public var apiId: String
    public var deploymentId: String
    public var protocolType: ProtocolType
    public var corsConfiguration: CorsConfiguration?
    public var disableExecuteApiEndpoint: Bool
    public var routes: [Route]
    public var integrations: [Integration]
    /// Absent (nil) in snapshots taken before Portico had HTTP API authorizers.
    public var authorizers: [Authorizer]?
    /// WebSocket APIs only (nil for HTTP APIs and older snapshots): the API's selection
    /// expressions and the route and integration responses, as deployed.
    public var routeSelectionExpression: String?
    public var apiKeySelectionExpression: String?
    public var routeResponses: [String: [WebSocketRouteResponse]]?
    public var integrationResponses: [String: [WebSocketIntegrationResponse]]?
    /// WebSocket APIs with models (nil otherwise): the models routes validate messages against.
    public var models: [ApiModel]?

    public init(deploymentId: String, of document: ApiDocument) {
        self.apiId = document.api.apiId
        self.deploymentId = deploymentId
        self.protocolType = document.api.protocolType
        self.corsConfiguration = document.api.corsConfiguration
        self.disableExecuteApiEndpoint = document.api.disableExecuteApiEndpoint ?? false
        self.routes = document.routes
        self.integrations = document.integrations
        self.authorizers = document.authorizers.isEmpty ? nil : document.authorizers
        if document.api.protocolType == .websocket {
            self.routeSelectionExpression = document.api.routeSelectionExpression
            self.apiKeySelectionExpression = document.api.apiKeySelectionExpression
            self.routeResponses = document.routeResponses
            self.integrationResponses = document.integrationResponses
            self.models = document.models.isEmpty ? nil : document.models
        }
    }
}
