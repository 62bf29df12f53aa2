/// Everything the store keeps for one REST API, read and written as one unit so that every
/// management operation is one transaction over one document (as ``ApiDocument`` is for HTTP
/// APIs). AWS caps an API at 300 resources and 10 stages, so the document stays small;
/// deployment snapshots, which accumulate, are stored beside it as ``RestDeploymentSnapshot``s.
///
/// Gateway responses hold only the customised ones: the defaults are derived
/// (``GatewayResponse/effective(_:customised:)``).
public struct RestApiDocument: Codable, Sendable, Equatable {
    public var restApi: RestApi
    /// The resource tree, root included, each resource with its methods.
    public var resources: [RestResource]
    public var models: [RestModel]
    public var requestValidators: [RequestValidator]
    /// Lambda (and Cognito) authorizers; absent from documents stored before Portico had them.
    public var authorizers: [RestAuthorizer]
    public var gatewayResponses: [GatewayResponse]
    public var deployments: [RestDeployment]
    public var stages: [RestStage]

    /// A new API with its root resource and AWS's two default models.
    public init(restApi: RestApi, root: RestResource, models: [RestModel]) {
        self.restApi = restApi
        self.resources = [root]
        self.models = models
        self.requestValidators = []
        self.authorizers = []
        self.gatewayResponses = []
        self.deployments = []
        self.stages = []
    }

    public var id: String { restApi.id }

    public func resource(_ id: String) -> RestResource? { resources.first { $0.id == id } }
    public func resourceIndex(_ id: String) -> Int? { resources.firstIndex { $0.id == id } }
    public func model(named name: String) -> RestModel? { models.first { $0.name == name } }
    public func requestValidator(_ id: String) -> RequestValidator? { requestValidators.first { $0.id == id } }
    public func authorizer(_ id: String) -> RestAuthorizer? { authorizers.first { $0.id == id } }
    public func deployment(_ id: String) -> RestDeployment? { deployments.first { $0.id == id } }
    public func stage(_ name: String) -> RestStage? { stages.first { $0.stageName == name } }
    public func stageIndex(_ name: String) -> Int? { stages.firstIndex { $0.stageName == name } }

    public func children(of id: String) -> [RestResource] { resources.filter { $0.parentId == id } }

    /// `id` and every resource below it.
    public func subtree(of id: String) -> Set<String> {
        var result: Set<String> = [id]
        var frontier = [id]
        while let next = frontier.popLast() {
            for child in resources where child.parentId == next && !result.contains(child.id) {
                result.insert(child.id)
                frontier.append(child.id)
            }
        }
        return result
    }

    /// Recomputes every resource's `path` from the tree, after a parent or a path part changed.
    public mutating func recomputePaths() {
        var paths: [String: String] = [:]
        for resource in resources where resource.isRoot { paths[resource.id] = "/" }
        var changed = true
        while changed {
            changed = false
            for resource in resources where paths[resource.id] == nil {
                guard let parentId = resource.parentId, let parentPath = paths[parentId] else { continue }
                paths[resource.id] = RestResource.childPath(parentPath: parentPath, pathPart: resource.pathPart ?? "")
                changed = true
            }
        }
        for index in resources.indices {
            if let path = paths[resources[index].id] { resources[index].path = path }
        }
    }

    /// Every method as `(resource, method)`, in resource-path order.
    public var allMethods: [(resource: RestResource, method: RestMethod)] {
        resources.sorted { $0.path < $1.path }.flatMap { resource in
            (resource.resourceMethods ?? [:]).sorted { $0.key < $1.key }.map { (resource, $0.value) }
        }
    }
}

extension RestApiDocument {
    private enum CodingKeys: String, CodingKey {
        case restApi, resources, models, requestValidators, authorizers, gatewayResponses, deployments, stages
    }

    /// Decodes documents stored before authorizers existed (no `authorizers` member) as having none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        restApi = try container.decode(RestApi.self, forKey: .restApi)
        resources = try container.decode([RestResource].self, forKey: .resources)
        models = try container.decode([RestModel].self, forKey: .models)
        requestValidators = try container.decode([RequestValidator].self, forKey: .requestValidators)
        authorizers = try container.decodeIfPresent([RestAuthorizer].self, forKey: .authorizers) ?? []
        gatewayResponses = try container.decode([GatewayResponse].self, forKey: .gatewayResponses)
        deployments = try container.decode([RestDeployment].self, forKey: .deployments)
        stages = try container.decode([RestStage].self, forKey: .stages)
    }
}
