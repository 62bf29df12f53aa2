public import PorticoModel
public import PorticoObservability

/// Turns an API's stored definition into the immutable ``RuntimeApi`` the data plane serves.
///
/// Runs once per change (never per request). Everything that depends only on the deployment and
/// the stage — route trie, parsed integration URIs with stage variables substituted, parameter
/// mappings, CORS header values, access-log formats, metric handles — is worked out here.
public struct DeploymentCompiler: Sendable {
    public struct Configuration: Sendable {
        /// Used when an integration has no `timeoutInMillis` (AWS's HTTP API default: 30 s).
        public var defaultTimeoutMillis: Int
        /// Fills the members a stage's route throttle leaves unset (``StageThrottles``).
        public var accountThrottle: ThrottleLimit
        public init(defaultTimeoutMillis: Int = Integration.defaultTimeoutMillis, accountThrottle: ThrottleLimit = .awsAccountDefault) {
            self.defaultTimeoutMillis = defaultTimeoutMillis
            self.accountThrottle = accountThrottle
        }
    }

    public let configuration: Configuration
    public let metrics: MetricsRegistry
    public let accessLogs: AccessLogWriters
    /// Where route buckets live across compilations; nil makes fresh ones every time.
    public let throttleBuckets: ThrottleBuckets?
    /// The stages' response caches, which outlive compilations (shared with the REST compiler).
    public var responseCaches = ResponseCaches()

    public init(configuration: Configuration, metrics: MetricsRegistry, accessLogs: AccessLogWriters, throttleBuckets: ThrottleBuckets? = nil) {
        self.configuration = configuration
        self.metrics = metrics
        self.accessLogs = accessLogs
        self.throttleBuckets = throttleBuckets
    }

    /// Compiles every deployed stage of `document`. `snapshots` holds the deployments the stages
    /// name; a stage without a deployment (or whose snapshot is missing) is not served, as on AWS.
    /// Problems are returned as warnings rather than thrown: one bad stage must not take the
    /// others down.
    public func compile(_ document: ApiDocument, snapshots: [String: DeploymentSnapshot]) -> (RuntimeApi, warnings: [String]) {
        var stages: [String: RuntimeStage] = [:]
        var warnings: [String] = []
        var liveBuckets = Set<ThrottleBuckets.Key>()
        for stage in document.stages {
            guard let deploymentId = stage.deploymentId, let snapshot = snapshots[deploymentId] else { continue }
            stages[stage.stageName] = compileStage(stage, snapshot: snapshot, liveBuckets: &liveBuckets, warnings: &warnings)
        }
        throttleBuckets?.retain(apiId: document.api.apiId, live: liveBuckets)
        responseCaches.retain(
            apiId: document.api.apiId, stages: Set(document.stages.filter { $0.tags?[Self.cacheSizeTag] != nil }.map(\.stageName)))
        // The switch takes effect with a deployment, as on AWS; an API with no deployed stage is not served at all.
        let disabled = document.stages.compactMap { $0.deploymentId.flatMap { snapshots[$0] } }.first?.disableExecuteApiEndpoint ?? false
        return (RuntimeApi(apiId: document.api.apiId, stages: stages, executeApiEndpointDisabled: disabled), warnings)
    }

    func compileStage(
        _ stage: Stage, snapshot: DeploymentSnapshot, liveBuckets: inout Set<ThrottleBuckets.Key>, warnings: inout [String]
    ) -> RuntimeStage {
        if snapshot.protocolType == .websocket {
            return compileWebSocketStage(stage, snapshot: snapshot, liveBuckets: &liveBuckets, warnings: &warnings)
        }
        let variables = stage.stageVariables ?? [:]
        var integrations: [String: RuntimeIntegration] = [:]
        var routes: [(key: RouteKey, value: RuntimeRoute)] = []
        // One compiled authorizer (and result cache) per stage and authorizer.
        var authorizers: [String: HttpRuntimeAuthorizer] = [:]
        var jwtAuthorizers: [String: JwtRuntimeAuthorizer] = [:]
        let stageCache = httpStageCache(apiId: snapshot.apiId, stage, warnings: &warnings)
        for authorizer in snapshot.authorizers ?? [] {
            switch authorizer.authorizerType {
            case "REQUEST": authorizers[authorizer.authorizerId] = HttpRuntimeAuthorizer(authorizer, variables: variables, warnings: &warnings)
            case "JWT": jwtAuthorizers[authorizer.authorizerId] = JwtRuntimeAuthorizer.http(authorizer, warnings: &warnings)
            default: break
            }
        }
        for route in snapshot.routes {
            guard let key = try? RouteKey(parsing: route.routeKey) else {
                warnings.append("route \(route.routeId) has an invalid route key \(route.routeKey); skipped")
                continue
            }
            var integration: RuntimeIntegration?
            if let integrationId = route.targetIntegrationId {
                if let compiled = integrations[integrationId + (key.isDefault ? "#default" : "")] {
                    integration = compiled
                } else if let definition = snapshot.integrations.first(where: { $0.integrationId == integrationId }) {
                    let compiled = compileIntegration(definition, variables: variables, isDefaultRoute: key.isDefault)
                    integrations[integrationId + (key.isDefault ? "#default" : "")] = compiled
                    integration = compiled
                }
            }
            let metrics = metrics.routeMetrics(apiId: snapshot.apiId, stage: stage.stageName, route: route.routeKey)
            let custom = route.authorizationType == "CUSTOM"
            let authorizer = custom ? route.authorizerId.flatMap { authorizers[$0] } : nil
            let jwt = route.authorizationType == "JWT"
            let jwtAuthorizer = jwt ? route.authorizerId.flatMap { jwtAuthorizers[$0] } : nil
            let throttle = routeThrottle(route.routeKey, stage: stage, apiId: snapshot.apiId, liveBuckets: &liveBuckets)
            var caching: RouteCaching?
            if let stageCache {
                caching = routeCaching(route, stage: stage, cache: stageCache, apiId: snapshot.apiId, warnings: &warnings)
            }
            routes.append(
                (key, RuntimeRoute(
                    routeKey: route.routeKey, routeId: route.routeId, integration: integration, metrics: metrics,
                    authorizer: authorizer, authorizerUnusable: (custom && authorizer == nil) || (jwt && jwtAuthorizer == nil),
                    jwtAuthorizer: jwtAuthorizer, authorizationScopes: jwt ? route.authorizationScopes ?? [] : [],
                    requiresSignature: route.authorizationType == "AWS_IAM", throttle: throttle,
                    caching: caching)))
        }
        let settings = stage.accessLogSettings
        let accessLog = accessLogs.accessLog(
            destinationArn: settings?.destinationArn, format: settings?.format, stage: stage.stageName, warnings: &warnings)
        return RuntimeStage(
            name: stage.stageName,
            apiId: snapshot.apiId,
            deploymentId: snapshot.deploymentId,
            stageVariables: variables,
            router: Router(routes: routes),
            cors: snapshot.corsConfiguration.map(CorsPolicy.init),
            accessLog: accessLog
        )
    }

    func compileIntegration(_ integration: Integration, variables: [String: String], isDefaultRoute: Bool) -> RuntimeIntegration {
        var kind: RuntimeIntegration.Kind
        var appendsPath = false
        switch integration.integrationType {
        case "HTTP_PROXY":
            let uri = Self.substituteStageVariables(integration.integrationUri ?? "", variables)
            do {
                let target = try HTTPTarget(uri: uri)
                kind = .httpProxy(target)
                appendsPath = isDefaultRoute && !target.hasParameters
            } catch {
                kind = .unusable(reason: "integration \(integration.integrationId): \(error.message)")
            }
        case "AWS_PROXY":
            // HTTP APIs: "For all other integrations [than Lambda], 1.0 is the only supported
            // value"; the management API insists on a version for Lambda, 2.0 when absent here
            // (the console's and quick create's default).
            let version = LambdaPayloadVersion(rawValue: integration.payloadFormatVersion ?? "2.0")
            let uri = Self.substituteStageVariables(integration.integrationUri ?? "", variables)
            if integration.integrationSubtype != nil {
                kind = .unusable(reason: "integration \(integration.integrationId): AWS service integrations are not supported")
            } else if let version {
                do {
                    kind = .lambdaProxy(try LambdaTarget(uri: uri), version)
                } catch {
                    kind = .unusable(reason: "integration \(integration.integrationId): \(error.message)")
                }
            } else {
                kind = .unusable(reason: "integration \(integration.integrationId): payloadFormatVersion \(integration.payloadFormatVersion ?? "") is not 1.0 or 2.0")
            }
        default:
            kind = .unusable(reason: "integration \(integration.integrationId): type \(integration.integrationType) is not supported yet")
        }
        let requestMapping: ParameterMapping
        do {
            requestMapping = try ParameterMapping(parameters: integration.requestParameters ?? [:])
        } catch {
            requestMapping = ParameterMapping(operations: [])
            kind = .unusable(reason: "integration \(integration.integrationId): \(error.message)")
        }
        var responseMappings: [Int: ParameterMapping] = [:]
        for (status, parameters) in integration.responseParameters ?? [:] {
            guard let code = Int(status) else { continue }
            do {
                responseMappings[code] = try ParameterMapping(parameters: parameters)
            } catch {
                kind = .unusable(reason: "integration \(integration.integrationId): \(error.message)")
            }
        }
        let method = integration.integrationMethod.flatMap { $0.uppercased() == "ANY" ? nil : $0.uppercased() }
        return RuntimeIntegration(
            integrationId: integration.integrationId,
            kind: kind,
            method: method,
            timeoutMillis: integration.timeoutInMillis ?? configuration.defaultTimeoutMillis,
            requestMapping: requestMapping,
            responseMappings: responseMappings,
            appendsRequestPath: appendsPath,
            tlsServerName: integration.tlsConfig?.serverNameToVerify
        )
    }

    /// Replaces `${stageVariables.name}` (and `$stageVariables.name`) in an integration URI.
    static func substituteStageVariables(_ text: String, _ variables: [String: String]) -> String {
        guard text.contains("$") else { return text }
        let template = ValueTemplate(parsing: text)
        var out = ""
        for part in template.parts {
            switch part {
            case .literal(let literal): out += literal
            case .reference(.stageVariable(let name)): out += variables[name] ?? ""
            case .reference(let other): out += Self.spelling(of: other)
            }
        }
        return out
    }

    /// Puts back a reference that is not a stage variable, so a URI keeps its text.
    static func spelling(of reference: ValueTemplate.Reference) -> String {
        switch reference {
        case .requestHeader(let name): "$request.header.\(name)"
        case .requestMultiValueHeader(let name): "$request.multivalueheader.\(name)"
        case .requestQuery(let name): "$request.querystring.\(name)"
        case .requestMultiValueQuery(let name): "$request.multivaluequerystring.\(name)"
        case .requestPathParameter(let name): "$request.path.\(name)"
        case .requestPath: "$request.path"
        case .requestBody(let path): "$request.body\(path.source)"
        case .responseHeader(let name): "$response.header.\(name)"
        case .responseMultiValueHeader(let name): "$response.multivalueheader.\(name)"
        case .responseBody(let path): "$response.body\(path.source)"
        case .context(let name): "$context.\(name)"
        case .stageVariable(let name): "$stageVariables.\(name)"
        }
    }
}
