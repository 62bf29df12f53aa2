/// Everything the store keeps for one `apigatewayv2` API, read and written as one unit so that
/// every management operation is one transaction over one document. AWS caps an API at 300
/// routes and 10 stages, so the document stays small; deployment snapshots, which accumulate,
/// are stored beside it, not in it.
public struct ApiDocument: Codable, Sendable, Equatable {
    public var api: Api
    public var routes: [Route]
    public var integrations: [Integration]
    public var stages: [Stage]
    public var deployments: [Deployment]
    /// Absent from documents stored before Portico had HTTP API authorizers.
    public var authorizers: [Authorizer]
    /// WebSocket APIs: each route's route responses, keyed by route id (absent from older documents).
    public var routeResponses: [String: [WebSocketRouteResponse]]
    /// WebSocket APIs: each integration's integration responses, keyed by integration id.
    public var integrationResponses: [String: [WebSocketIntegrationResponse]]
    /// Models (JSON schemas) for WebSocket routes' request validation (absent from older documents).
    public var models: [ApiModel] = []

    public init(api: Api) {
        self.api = api
        self.routes = []
        self.integrations = []
        self.stages = []
        self.deployments = []
        self.authorizers = []
        self.routeResponses = [:]
        self.integrationResponses = [:]
    }

    public func route(_ id: String) -> Route? { routes.first { $0.routeId == id } }
    public func integration(_ id: String) -> Integration? { integrations.first { $0.integrationId == id } }
    public func stage(_ name: String) -> Stage? { stages.first { $0.stageName == name } }
    public func deployment(_ id: String) -> Deployment? { deployments.first { $0.deploymentId == id } }
    public func authorizer(_ id: String) -> Authorizer? { authorizers.first { $0.authorizerId == id } }
}

extension ApiDocument {
    private enum CodingKeys: String, CodingKey {
        case api, routes, integrations, stages, deployments, authorizers, routeResponses, integrationResponses, models
    }

    /// Decodes documents stored before authorizers (or WebSocket APIs) existed as having none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        api = try container.decode(Api.self, forKey: .api)
        routes = try container.decode([Route].self, forKey: .routes)
        integrations = try container.decode([Integration].self, forKey: .integrations)
        stages = try container.decode([Stage].self, forKey: .stages)
        deployments = try container.decode([Deployment].self, forKey: .deployments)
        authorizers = try container.decodeIfPresent([Authorizer].self, forKey: .authorizers) ?? []
        routeResponses = try container.decodeIfPresent([String: [WebSocketRouteResponse]].self, forKey: .routeResponses) ?? [:]
        integrationResponses = try container.decodeIfPresent([String: [WebSocketIntegrationResponse]].self, forKey: .integrationResponses) ?? [:]
        models = try container.decodeIfPresent([ApiModel].self, forKey: .models) ?? []
    }
}
