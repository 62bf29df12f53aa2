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

    public init(api: Api) {
        self.api = api
        self.routes = []
        self.integrations = []
        self.stages = []
        self.deployments = []
    }

    public func route(_ id: String) -> Route? { routes.first { $0.routeId == id } }
    public func integration(_ id: String) -> Integration? { integrations.first { $0.integrationId == id } }
    public func stage(_ name: String) -> Stage? { stages.first { $0.stageName == name } }
    public func deployment(_ id: String) -> Deployment? { deployments.first { $0.deploymentId == id } }
}
