public import PorticoModel
public import PorticoObservability
import PorticoSchema
import PorticoTemplates

/// Turns a REST API's stages and their deployment snapshots into the ``RestRuntimeApi`` the data
/// plane serves. Runs once per change, never per request: routes, URIs with stage variables
/// substituted, parameter mappings, mapping templates, selection-pattern regexes and gateway
/// responses are all worked out here. Problems are warnings, so one bad method cannot take the
/// API down.
public struct RestDeploymentCompiler: Sendable {
    public let metrics: MetricsRegistry
    public let accessLogs: AccessLogWriters
    /// Where Cognito user pools' tokens come from when not AWS (`--cognito-endpoint`).
    public let cognitoEndpoint: String?
    /// Region and account of the method ARNs a resource policy's `execute-api:/...` shorthand names.
    public var region = "us-east-1"
    public var accountId = "000000000000"
    /// Fills the members a stage's method throttle leaves unset (``StageThrottles``).
    public var accountThrottle = ThrottleLimit.awsAccountDefault
    /// Where method buckets live across compilations; nil makes fresh ones every time.
    public var throttleBuckets: ThrottleBuckets?
    /// The stages' response caches, which outlive compilations (`--response-cache-max-bytes` bounds each).
    public var responseCaches = ResponseCaches()

    public init(metrics: MetricsRegistry, accessLogs: AccessLogWriters, cognitoEndpoint: String? = nil) {
        self.metrics = metrics
        self.accessLogs = accessLogs
        self.cognitoEndpoint = cognitoEndpoint
    }

    public func compile(_ document: RestApiDocument, snapshots: [String: RestDeploymentSnapshot]) -> (RestRuntimeApi, warnings: [String]) {
        var warnings: [String] = []
        var stages: [String: RestRuntimeStage] = [:]
        var disabled = false
        var liveBuckets = Set<ThrottleBuckets.Key>()
        for stage in document.stages {
            guard let deploymentId = stage.deploymentId, let snapshot = snapshots[deploymentId] else { continue }
            disabled = disabled || snapshot.disableExecuteApiEndpoint
            let accessLog = accessLogs.accessLog(
                destinationArn: stage.accessLogSettings?.destinationArn, format: stage.accessLogSettings?.format, stage: stage.stageName,
                warnings: &warnings)
            let variables = stage.variables ?? [:]
            // One bucket per method and stage, shared by the main deployment and the canary: the stage's method
            // settings limit the method whichever deployment serves a request.
            var throttles = MethodThrottles(
                settings: stage.methodSettings, account: accountThrottle, apiId: document.restApi.id, stage: stage.stageName,
                registry: throttleBuckets)
            let main = compileDeployment(
                snapshot, stage: stage.stageName, variables: variables, isCanary: false, accessLog: accessLog, throttles: &throttles,
                warnings: &warnings, stageSettings: stage)
            var canary: RestRuntimeStage.Canary?
            if let settings = stage.canarySettings, let canaryId = settings.deploymentId, let canarySnapshot = snapshots[canaryId] {
                // AWS: the canary serves with the stage's variables, overridden by its own.
                let canaryVariables = variables.merging(settings.stageVariableOverrides ?? [:]) { _, override in override }
                let deployment = compileDeployment(
                    canarySnapshot, stage: stage.stageName, variables: canaryVariables, isCanary: true, accessLog: accessLog,
                    throttles: &throttles, warnings: &warnings, stageSettings: stage)
                canary = .init(percentTraffic: settings.percentTraffic ?? 0, deployment: deployment)
            }
            stages[stage.stageName] = RestRuntimeStage(
                name: stage.stageName, main: main, canary: canary, cache: stageCache(document.restApi.id, stage),
                canaryUsesCache: stage.canarySettings?.useStageCache ?? false)
            liveBuckets.formUnion(throttles.live)
        }
        throttleBuckets?.retain(apiId: document.restApi.id, live: liveBuckets)
        responseCaches.retain(apiId: document.restApi.id, stages: Set(document.stages.filter(\.cacheClusterEnabled).map(\.stageName)))
        return (RestRuntimeApi(restApiId: document.restApi.id, stages: stages, executeApiEndpointDisabled: disabled), warnings)
    }

    func compileDeployment(
        _ snapshot: RestDeploymentSnapshot, stage: String, variables: [String: String], isCanary: Bool,
        accessLog: RuntimeStage.AccessLog?, throttles: inout MethodThrottles, warnings: inout [String], stageSettings: RestStage? = nil
    ) -> RestRuntimeDeployment {
        // Every model's schema compiled once per deployment, `$ref`s between models resolved.
        let models = ModelSchemas(models: snapshot.models, restApiId: snapshot.restApiId)
        for (name, error) in models.errors.sorted(by: { $0.key < $1.key }) {
            warnings.append("model \(name): schema does not compile (\(error)); bodies for it are not validated")
        }
        let validators = Dictionary(snapshot.requestValidators.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // One compiled authorizer (and result cache) per stage and authorizer, shared by its methods.
        var authorizers: [String: RestRuntimeAuthorizer] = [:]
        var cognitoAuthorizers: [String: JwtRuntimeAuthorizer] = [:]
        for authorizer in snapshot.authorizers ?? [] {
            if authorizer.type == "COGNITO_USER_POOLS" {
                cognitoAuthorizers[authorizer.id] = JwtRuntimeAuthorizer.cognito(authorizer, endpoint: cognitoEndpoint, warnings: &warnings)
            } else {
                authorizers[authorizer.id] = RestRuntimeAuthorizer(authorizer, variables: variables, warnings: &warnings)
            }
        }
        if stageSettings != nil {
            // For FlushStageAuthorizersCache; the main deployment's compilation replaces the previous ones.
            responseCaches.addAuthorizerCaches(
                apiId: snapshot.restApiId, stage: stage, authorizers.values.map(\.cache), replacing: !isCanary)
        }
        var methods: [RestRuntimeMethod] = []
        for resource in snapshot.resources {
            for (httpMethod, method) in (resource.resourceMethods ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let integration = method.methodIntegration else { continue }
                let routeKey = "\(httpMethod) \(resource.path)"
                let custom = method.authorizationType == "CUSTOM"
                let cognito = method.authorizationType == "COGNITO_USER_POOLS"
                let authorizer = custom ? method.authorizerId.flatMap { authorizers[$0] } : nil
                let cognitoAuthorizer = cognito ? method.authorizerId.flatMap { cognitoAuthorizers[$0] } : nil
                if (custom && authorizer == nil) || (cognito && cognitoAuthorizer == nil) {
                    warnings.append("\(routeKey): authorizer \(method.authorizerId ?? "-") cannot run here; requests answer 500")
                }
                var caching: MethodCachePolicy?
                if let stageSettings {
                    caching = cachePolicy(
                        httpMethod: httpMethod, resource: resource, integration: integration, stage: stageSettings,
                        apiId: snapshot.restApiId, routeKey: routeKey, warnings: &warnings)
                }
                let route = RuntimeRoute(
                    routeKey: routeKey, routeId: resource.id, integration: nil,
                    metrics: metrics.routeMetrics(apiId: snapshot.restApiId, stage: stage, route: routeKey),
                    throttle: throttles.bucket(resourcePath: resource.path, httpMethod: httpMethod))
                methods.append(
                    RestRuntimeMethod(
                        httpMethod: httpMethod, resourcePath: resource.path, resourceId: resource.id, route: route,
                        validation: RequestValidation(method: method, validator: method.requestValidatorId.flatMap { validators[$0] }, models: models),
                        integration: compileIntegration(integration, variables: variables, context: routeKey, warnings: &warnings),
                        requiresSignature: method.authorizationType == "AWS_IAM", apiKeyRequired: method.apiKeyRequired,
                        authorizer: authorizer, authorizerUnusable: (custom && authorizer == nil) || (cognito && cognitoAuthorizer == nil),
                        jwtAuthorizer: cognitoAuthorizer, authorizationScopes: cognito ? method.authorizationScopes ?? [] : [],
                        caching: caching))
            }
        }
        let resourcePolicy = compileResourcePolicy(snapshot, warnings: &warnings)
        let logStage = RuntimeStage(
            name: stage, apiId: snapshot.restApiId, deploymentId: snapshot.deploymentId, stageVariables: variables,
            router: Router(routes: []), cors: nil, accessLog: accessLog)
        return RestRuntimeDeployment(
            deploymentId: snapshot.deploymentId, isCanary: isCanary, stageVariables: variables, router: RestRouter(methods: methods),
            gatewayResponses: RestGatewayResponses(customised: snapshot.gatewayResponses, warnings: &warnings),
            binaryMediaTypes: BinaryMediaTypes(snapshot.binaryMediaTypes), logStage: logStage,
            apiKeyFromAuthorizer: snapshot.apiKeySource == "AUTHORIZER", resourcePolicy: resourcePolicy,
            minimumCompressionSize: snapshot.minimumCompressionSize)
    }

    /// The deployed `policy` (AWS applies a resource policy only once the API is deployed again).
    /// One that does not parse (the management API refuses such documents; an old store might
    /// hold one) denies every request rather than leave the API open.
    func compileResourcePolicy(_ snapshot: RestDeploymentSnapshot, warnings: inout [String]) -> RestResourcePolicy? {
        guard let text = snapshot.policy, !text.isEmpty else { return nil }
        switch IamPolicy.parse(text, resourcePolicy: true) {
        case .success(let policy):
            let prefix = "arn:aws:execute-api:\(region):\(accountId):\(snapshot.restApiId)"
            return RestResourcePolicy(policy: policy.expandingExecuteApiShorthand(arnPrefix: prefix))
        case .failure(let malformed):
            warnings.append("resource policy does not parse (\(malformed.reason)); every request is denied")
            return RestResourcePolicy(policy: .denyEverything)
        }
    }

    func compileIntegration(_ integration: RestIntegration, variables: [String: String], context: String, warnings: inout [String]) -> RestRuntimeIntegration {
        var kind: RestRuntimeIntegration.Kind
        switch integration.type {
        case "MOCK":
            kind = .mock
        case "HTTP", "HTTP_PROXY":
            let uri = DeploymentCompiler.substituteStageVariables(integration.uri ?? "", variables)
            do {
                let target = try HTTPTarget(uri: uri)
                kind = integration.type == "HTTP" ? .http(target) : .httpProxy(target)
            } catch {
                kind = .unusable(reason: "\(context): \(error.message)")
            }
        case "AWS", "AWS_PROXY":
            let uri = DeploymentCompiler.substituteStageVariables(integration.uri ?? "", variables)
            do {
                let target = try LambdaTarget(uri: uri)
                kind = integration.type == "AWS" ? .lambda(target) : .lambdaProxy(target)
            } catch {
                // AWS service integrations other than Lambda (S3, SQS, ...) are not built.
                kind = .unusable(reason: "\(context): only Lambda AWS integrations are supported (\(error.message))")
            }
        default:
            kind = .unusable(reason: "\(context): integration type \(integration.type) is not supported yet")
        }
        var parameters: [(target: RestParameterTarget, source: RestValueSource)] = []
        for (key, value) in (integration.requestParameters ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let target = RestParameterTarget(parsing: key), let source = RestValueSource(parsing: value) else {
                warnings.append("\(context): request parameter \(key) = \(value) is not understood; skipped")
                continue
            }
            parameters.append((target, source))
        }
        var templates: [String: MappingTemplate] = [:]
        for (contentType, source) in integration.requestTemplates ?? [:] {
            do {
                templates[contentType] = try MappingTemplate(source: source)
            } catch {
                kind = .unusable(reason: "\(context): request template for \(contentType) does not compile: \(error)")
            }
        }
        let passthrough = RequestTemplateSelector.PassthroughBehavior(rawValue: integration.passthroughBehavior ?? "") ?? .whenNoMatch
        var responseWarnings: [String] = []
        let responses = RestIntegrationResponses(integration.integrationResponses ?? [:], warnings: &responseWarnings)
        warnings += responseWarnings.map { "\(context): \($0)" }
        let method = integration.httpMethod.flatMap { $0.uppercased() == "ANY" ? nil : $0.uppercased() }
        return RestRuntimeIntegration(
            kind: kind, method: method, timeoutMillis: integration.timeoutInMillis ?? RestIntegration.defaultTimeoutMillis,
            requestParameters: parameters, requestTemplates: RequestTemplateSelector(templates: templates, passthroughBehavior: passthrough),
            contentHandling: integration.contentHandling, responses: responses)
    }
}
