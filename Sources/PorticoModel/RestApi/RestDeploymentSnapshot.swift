/// An immutable copy of what a REST API defined when it was deployed: the resource tree with its
/// methods and integrations, the models and request validators they refer to, the customised
/// gateway responses, and the API-level settings the data plane needs. Stages (and their canaries)
/// point at snapshots by deployment id; the data plane compiles them.
public struct RestDeploymentSnapshot: Codable, Sendable, Equatable {
    public var restApiId: String
    public var deploymentId: String
    public var resources: [RestResource]
    public var models: [RestModel]
    public var requestValidators: [RequestValidator]
    /// Absent (nil) in snapshots taken before Portico had authorizers.
    public var authorizers: [RestAuthorizer]?
    public var gatewayResponses: [GatewayResponse]
    public var binaryMediaTypes: [String]
    public var minimumCompressionSize: Int?
    public var apiKeySource: String
    public var disableExecuteApiEndpoint: Bool
    public var policy: String?

    public init(deploymentId: String, of document: RestApiDocument) {
        self.restApiId = document.restApi.id
        self.deploymentId = deploymentId
        self.resources = document.resources
        self.models = document.models
        self.requestValidators = document.requestValidators
        self.authorizers = document.authorizers.isEmpty ? nil : document.authorizers
        self.gatewayResponses = document.gatewayResponses
        self.binaryMediaTypes = document.restApi.binaryMediaTypes ?? []
        self.minimumCompressionSize = document.restApi.minimumCompressionSize
        self.apiKeySource = document.restApi.apiKeySource ?? "HEADER"
        self.disableExecuteApiEndpoint = document.restApi.disableExecuteApiEndpoint ?? false
        self.policy = document.restApi.policy
    }

    /// The gateway response the data plane should use for `type` in this deployment.
    public func gatewayResponse(_ type: GatewayResponseType) -> GatewayResponse {
        GatewayResponse.effective(type, customised: gatewayResponses)
    }

    /// What `GetDeployment` with `embed=apisummary` shows: path → method → authorization and key need.
    public var apiSummary: [String: [String: MethodSnapshot]] {
        var summary: [String: [String: MethodSnapshot]] = [:]
        for resource in resources {
            guard let methods = resource.resourceMethods, !methods.isEmpty else { continue }
            summary[resource.path] = methods.mapValues {
                MethodSnapshot(authorizationType: $0.authorizationType, apiKeyRequired: $0.apiKeyRequired)
            }
        }
        return summary
    }
}
