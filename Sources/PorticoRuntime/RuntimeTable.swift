import PorticoModel
public import PorticoObservability

/// Everything the data plane needs to serve requests, compiled from deployments and swapped as a
/// whole: requests read one immutable table and never touch the store.
public final class RuntimeTable: Sendable {
    public let apis: [String: RuntimeApi]
    /// REST APIs (`apigateway` v1), apart from HTTP APIs: an HTTP API request finds its API in
    /// `apis` and never looks here. Ids never collide (one namespace).
    public let restApis: [String: RestRuntimeApi]
    /// API keys and usage plans (REST methods with `apiKeyRequired`).
    public let usagePlans: UsagePlanTable
    /// Increases with every swap; useful in logs and tests.
    public let generation: Int
    /// The access keys `AWS_IAM` methods and routes accept, with their users' policies.
    public let iam: IamCredentialTable

    public init(
        apis: [String: RuntimeApi], restApis: [String: RestRuntimeApi] = [:], usagePlans: UsagePlanTable = .empty, generation: Int,
        iam: IamCredentialTable = .empty
    ) {
        self.iam = iam
        self.apis = apis
        self.restApis = restApis
        self.usagePlans = usagePlans
        self.generation = generation
    }

    public static let empty = RuntimeTable(apis: [:], generation: 0)
}

/// One API as the data plane sees it: its stages, each serving one deployment.
public final class RuntimeApi: Sendable {
    public let apiId: String
    public let stages: [String: RuntimeStage]
    /// The `$default` stage, which takes every path no named stage claims.
    public let defaultStage: RuntimeStage?
    /// `disableExecuteApiEndpoint`: the `{apiId}.execute-api` endpoint answers 403 Forbidden (AWS:
    /// "clients can't invoke your API by using the default endpoint"); custom domains still work.
    public let executeApiEndpointDisabled: Bool

    public init(apiId: String, stages: [String: RuntimeStage], executeApiEndpointDisabled: Bool = false) {
        self.apiId = apiId
        self.executeApiEndpointDisabled = executeApiEndpointDisabled
        self.stages = stages
        self.defaultStage = stages[Stage.defaultStageName]
    }

    /// The stage for a request path (no leading `/_aws/execute-api/{apiId}`), and the path
    /// within the stage. AWS: "If the request explicitly matches a stage, API Gateway sends the
    /// request to that stage. If no stage fully matches the request, API Gateway sends the
    /// request to the $default stage."
    public func stage(forPath path: Substring) -> (RuntimeStage, Substring)? {
        let trimmed = path.utf8.first == UInt8(ascii: "/") ? path[path.utf8.index(after: path.startIndex)...] : path
        let end = trimmed.firstIndex(ofByte: UInt8(ascii: "/")) ?? trimmed.endIndex
        let first = trimmed[..<end]
        if !first.isEmpty, !stages.isEmpty {
            let rest = trimmed[end...]
            let name = String(first)
            if name == Stage.defaultStageName {
                // Path-style URLs may name the default stage explicitly: /_aws/execute-api/{id}/$default/...
                if let defaultStage { return (defaultStage, rest.isEmpty ? "/" : rest) }
            } else if let stage = stages[name] {
                return (stage, rest.isEmpty ? "/" : rest)
            }
        }
        if let defaultStage { return (defaultStage, path) }
        return nil
    }
}

/// A stage of a deployed API, compiled.
public final class RuntimeStage: Sendable {
    public let name: String
    public let apiId: String
    public let deploymentId: String
    public let stageVariables: [String: String]
    public let router: Router<RuntimeRoute>
    public let cors: CorsPolicy?
    public let accessLog: AccessLog?
    /// Set for a WebSocket API's stage (whose `router` is then empty).
    public let webSocket: WebSocketRuntimeStage?

    /// `$context.path`: the request path as the client sent it, stage included (`$default` has no
    /// path segment of its own).
    public func contextPath(_ stagePath: Substring) -> String {
        name == Stage.defaultStageName ? String(stagePath) : "/" + name + stagePath
    }

    /// `$context.domainPrefix`: the first label of the host.
    public static func domainPrefix(_ domainName: String) -> String {
        String(domainName.prefix { $0 != "." })
    }

    public struct AccessLog: Sendable {
        public let format: AccessLogFormat
        public let writer: AccessLogWriter
    }

    public init(
        name: String, apiId: String, deploymentId: String, stageVariables: [String: String], router: Router<RuntimeRoute>,
        cors: CorsPolicy?, accessLog: AccessLog?, webSocket: WebSocketRuntimeStage? = nil
    ) {
        self.webSocket = webSocket
        self.name = name
        self.apiId = apiId
        self.deploymentId = deploymentId
        self.stageVariables = stageVariables
        self.router = router
        self.cors = cors
        self.accessLog = accessLog
    }
}

/// A route with everything resolved: its integration plan and its metrics.
public final class RuntimeRoute: Sendable {
    public let routeKey: String
    public let routeId: String
    public let integration: RuntimeIntegration?
    public let metrics: RouteMetrics
    /// `authorizationType: CUSTOM`: the Lambda authorizer that runs before the integration.
    public let authorizer: HttpRuntimeAuthorizer?
    /// `CUSTOM` or `JWT` naming an authorizer the deployment does not have: requests answer 500.
    public let authorizerUnusable: Bool
    /// `authorizationType: JWT`: the authorizer that verifies the token before the integration.
    public let jwtAuthorizer: JwtRuntimeAuthorizer?
    /// `authorizationScopes`: the token must carry one of them (JWT routes only).
    public let authorizationScopes: [String]
    /// `authorizationType: AWS_IAM`: SigV4 against the managed IAM users and their policies.
    public let requiresSignature: Bool
    /// The stage's throttle for this route (HTTP API `routeSettings`/`defaultRouteSettings`) or REST method
    /// (`methodSettings`), see ``StageThrottles``; nil when only the account throttle applies. Made with the
    /// compiled stage, so it starts full when the API is recompiled.
    public let throttle: SharedTokenBucket?
    /// The stage's response cache and how the route uses it (Portico's HTTP API caching, docs/CACHING.md); nil
    /// when the route is not cached.
    public let caching: RouteCaching?

    public init(
        routeKey: String, routeId: String, integration: RuntimeIntegration?, metrics: RouteMetrics,
        authorizer: HttpRuntimeAuthorizer? = nil, authorizerUnusable: Bool = false,
        jwtAuthorizer: JwtRuntimeAuthorizer? = nil, authorizationScopes: [String] = [], requiresSignature: Bool = false,
        throttle: SharedTokenBucket? = nil,
        caching: RouteCaching? = nil
    ) {
        self.throttle = throttle
        self.caching = caching
        self.jwtAuthorizer = jwtAuthorizer
        self.authorizationScopes = authorizationScopes
        self.requiresSignature = requiresSignature
        self.routeKey = routeKey
        self.routeId = routeId
        self.integration = integration
        self.metrics = metrics
        self.authorizer = authorizer
        self.authorizerUnusable = authorizerUnusable
    }
}

/// How a route's requests reach the backend. A class (immutable, made once per deployment): the
/// data plane reads it for every request, and as a struct each read copied and retained its fields.
public final class RuntimeIntegration: Sendable {
    public enum Kind: Sendable {
        case httpProxy(HTTPTarget)
        /// `AWS_PROXY` to a Lambda function: the request becomes a proxy event of the
        /// integration's `payloadFormatVersion`, the function's answer the response.
        case lambdaProxy(LambdaTarget, LambdaPayloadVersion)
        /// An integration that cannot be served (unsupported type, a URI that does not parse after
        /// stage-variable substitution); requests get a 500 and the reason is logged.
        case unusable(reason: String)
    }

    public let integrationId: String
    public let kind: Kind
    /// `nil` means "the request's method" (`ANY`).
    public let method: String?
    public let timeoutMillis: Int
    public let requestMapping: ParameterMapping
    /// Keyed by the status code the mapping applies to.
    public let responseMappings: [Int: ParameterMapping]
    /// `$default` routes send the full request path to an integration URI without path variables.
    public let appendsRequestPath: Bool
    /// `tlsConfig.serverNameToVerify`: the name sent in SNI and checked against an https backend's
    /// certificate instead of the URI's host.
    public let tlsServerName: String?

    public init(
        integrationId: String, kind: Kind, method: String?, timeoutMillis: Int, requestMapping: ParameterMapping,
        responseMappings: [Int: ParameterMapping], appendsRequestPath: Bool, tlsServerName: String? = nil
    ) {
        self.tlsServerName = tlsServerName
        self.integrationId = integrationId
        self.kind = kind
        self.method = method
        self.timeoutMillis = timeoutMillis
        self.requestMapping = requestMapping
        self.responseMappings = responseMappings
        self.appendsRequestPath = appendsRequestPath
    }
}
