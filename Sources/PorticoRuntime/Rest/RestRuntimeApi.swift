/// A REST API (`apigateway` v1) as the data plane serves it: its stages, each compiled from the
/// deployment it points at (and its canary's).
public final class RestRuntimeApi: Sendable {
    public let restApiId: String
    public let stages: [String: RestRuntimeStage]
    /// `disableExecuteApiEndpoint` of the deployed definition: the default endpoint answers 403.
    public let executeApiEndpointDisabled: Bool

    public init(restApiId: String, stages: [String: RestRuntimeStage], executeApiEndpointDisabled: Bool) {
        self.restApiId = restApiId
        self.stages = stages
        self.executeApiEndpointDisabled = executeApiEndpointDisabled
    }

    /// The stage named by the first segment of `path`, and the path within it. REST APIs have no
    /// `$default` stage: a path naming no stage finds nothing (AWS answers "Missing
    /// Authentication Token").
    public func stage(forPath path: Substring) -> (RestRuntimeStage, Substring)? {
        let trimmed = path.utf8.first == UInt8(ascii: "/") ? path[path.utf8.index(after: path.startIndex)...] : path
        let end = trimmed.firstIndex(ofByte: UInt8(ascii: "/")) ?? trimmed.endIndex
        guard let stage = stages[String(trimmed[..<end])] else { return nil }
        let rest = trimmed[end...]
        return (stage, rest.isEmpty ? "/" : rest)
    }
}

/// A REST API stage: the deployment it serves and, with `canarySettings`, a second deployment
/// that takes `percentTraffic` percent of the requests with the canary's stage variables.
public final class RestRuntimeStage: Sendable {
    public struct Canary: Sendable {
        public let percentTraffic: Double
        public let deployment: RestRuntimeDeployment
    }

    public let name: String
    public let main: RestRuntimeDeployment
    public let canary: Canary?
    /// The stage's response cache (`cacheClusterEnabled`), shared by its deployments and kept across
    /// recompilations (``ResponseCaches``); nil without a cache cluster.
    public let cache: ResponseCache?
    /// `canarySettings.useStageCache`: canary requests use the stage's cache; otherwise they are not cached.
    public let canaryUsesCache: Bool

    public init(name: String, main: RestRuntimeDeployment, canary: Canary?, cache: ResponseCache? = nil, canaryUsesCache: Bool = false) {
        self.name = name
        self.main = main
        self.canary = canary
        self.cache = cache
        self.canaryUsesCache = canaryUsesCache
    }

    /// The cache a request served by `deployment` uses.
    public func cache(for deployment: RestRuntimeDeployment) -> ResponseCache? {
        deployment.isCanary && !canaryUsesCache ? nil : cache
    }

    /// The deployment for one request, `roll` being uniform in `0..<100`. AWS: "the canary
    /// release deployment receives percentTraffic % of API traffic", chosen per request.
    public func deployment(roll: Double) -> RestRuntimeDeployment {
        guard let canary, roll < canary.percentTraffic else { return main }
        return canary.deployment
    }
}

/// One deployment of a REST API compiled for one stage (its stage variables are part of it: the
/// canary's overrides make a second compilation of the same kind).
public final class RestRuntimeDeployment: Sendable {
    public let deploymentId: String
    public let isCanary: Bool
    public let stageVariables: [String: String]
    public let router: RestRouter
    public let gatewayResponses: RestGatewayResponses
    /// `binaryMediaTypes` of the deployed API (`*/*` and `type/*` wildcards allowed).
    public let binaryMediaTypes: BinaryMediaTypes
    /// The stage as the shared access-log and metrics code sees it (what HTTP APIs use too).
    public let logStage: RuntimeStage
    /// `apiKeySource`: the key comes from `x-api-key` (`HEADER`) or the Lambda authorizer's
    /// `usageIdentifierKey` (`AUTHORIZER`).
    public let apiKeyFromAuthorizer: Bool
    /// The REST API's resource policy as deployed; nil when it has none.
    public let resourcePolicy: RestResourcePolicy?
    /// `minimumCompressionSize` as deployed: payload compression is on when it is set.
    public let minimumCompressionSize: Int?

    public init(
        deploymentId: String, isCanary: Bool, stageVariables: [String: String], router: RestRouter,
        gatewayResponses: RestGatewayResponses, binaryMediaTypes: BinaryMediaTypes, logStage: RuntimeStage,
        apiKeyFromAuthorizer: Bool = false,
        resourcePolicy: RestResourcePolicy? = nil,
        minimumCompressionSize: Int? = nil
    ) {
        self.minimumCompressionSize = minimumCompressionSize
        self.apiKeyFromAuthorizer = apiKeyFromAuthorizer
        self.resourcePolicy = resourcePolicy
        self.deploymentId = deploymentId
        self.isCanary = isCanary
        self.stageVariables = stageVariables
        self.router = router
        self.gatewayResponses = gatewayResponses
        self.binaryMediaTypes = binaryMediaTypes
        self.logStage = logStage
    }
}
