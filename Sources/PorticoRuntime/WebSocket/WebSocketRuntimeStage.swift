import Foundation
public import PorticoModel
public import PorticoObservability
public import PorticoTemplates

/// A deployed stage of a WebSocket API, compiled: the route selection expression, the routes by
/// key (`$connect`, `$disconnect` and `$default` apart) and each route's integration plan.
public final class WebSocketRuntimeStage: Sendable {
    public let routeSelection: CompiledSelectionExpression
    public let routes: [String: WebSocketRuntimeRoute]
    public let connect: WebSocketRuntimeRoute?
    public let disconnect: WebSocketRuntimeRoute?
    public let defaultRoute: WebSocketRuntimeRoute?
    /// The API key selection expression is `$context.authorizer.usageIdentifierKey` (the `$connect`
    /// authorizer's answer names the key), not `$request.header.x-api-key` (the handshake's header).
    public let apiKeyFromAuthorizer: Bool
    /// Connections, messages and integration errors of the stage (the same object across recompilations).
    public let metrics: WebSocketStageMetrics?

    public init(
        routeSelection: CompiledSelectionExpression, routes: [String: WebSocketRuntimeRoute], apiKeyFromAuthorizer: Bool = false,
        metrics: WebSocketStageMetrics? = nil
    ) {
        self.metrics = metrics
        self.apiKeyFromAuthorizer = apiKeyFromAuthorizer
        self.routeSelection = routeSelection
        self.routes = routes
        connect = routes["$connect"]
        disconnect = routes["$disconnect"]
        defaultRoute = routes["$default"]
    }

    /// The route for a message (AWS, "Create routes for WebSocket APIs"): the custom route whose
    /// key equals the evaluated selection expression; otherwise (not JSON, the expression cannot
    /// be evaluated, no such route) `$default`, or nil when there is none.
    public func route(forMessage message: JSONValue?) -> WebSocketRuntimeRoute? {
        if let message, let key = routeSelection.evaluate(message), let route = routes[key],
            key != "$connect", key != "$disconnect"
        {
            return route
        }
        return defaultRoute
    }
}

/// A selection expression ready to evaluate: literal text and JSONPaths into the message.
public struct CompiledSelectionExpression: Sendable {
    public enum Part: Sendable {
        case literal(String)
        case body(JSONBodyPath)
        /// The integration's status (integration responses' template selection).
        case statusCode
        /// A header of the integration's answer (the last value; multi-value headers comma-joined).
        case responseHeader(String)
    }

    public let parts: [Part]

    public init(parts: [Part]) { self.parts = parts }

    public init(_ expression: SelectionExpression) {
        parts = expression.parts.map { part in
            switch part {
            case .literal(let text): .literal(text)
            case .body(let path): .body(JSONBodyPath(path))
            case .integrationStatusCode: .statusCode
            case .integrationHeader(let name): .responseHeader(name)
            }
        }
    }

    /// A constant expression (`\$default`): its key.
    public var constant: String? {
        if parts.count == 1, case .literal(let text) = parts[0] { return text }
        return nil
    }

    /// The key for `message`; nil when a variable selects nothing ("cannot be evaluated").
    public func evaluate(_ message: JSONValue) -> String? {
        evaluate(message: message)
    }

    /// The key for a message and, for integration responses, the integration's status and headers; nil when
    /// a variable selects nothing.
    public func evaluate(message: JSONValue?, statusCode: String? = nil, header: (String) -> String? = { _ in nil }) -> String? {
        if let constant { return constant }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .body(let path):
                guard let message else { return nil }
                if path.source.isEmpty {
                    out += message.jsonText
                } else {
                    guard let text = path.text(in: message) else { return nil }
                    out += text
                }
            case .statusCode:
                guard let statusCode else { return nil }
                out += statusCode
            case .responseHeader(let name):
                guard let value = header(name) else { return nil }
                out += value
            }
        }
        return out
    }
}

/// A WebSocket route with its integration: `twoWay` when the route has a route response, so the
/// integration's answer goes back to the client (AWS: a route response "signals to API Gateway
/// that it should return a response to a client").
public final class WebSocketRuntimeRoute: Sendable {
    public let routeKey: String
    public let routeId: String
    public let integration: WebSocketRuntimeIntegration?
    public let twoWay: Bool
    public let metrics: RouteMetrics
    /// Access control the route asks for that Portico does not enforce on WebSocket APIs yet
    /// (`AWS_IAM` or `CUSTOM` on `$connect`, `apiKeyRequired`): such a route refuses everyone
    /// rather than letting everyone in.
    public let unenforcedAccessControl: String?
    /// `$connect` with `authorizationType: AWS_IAM`: the handshake must be signed by a managed IAM
    /// user allowed `execute-api:Invoke` on `{apiId}/{stage}/$connect`.
    public let requiresIam: Bool
    /// `$connect` with a Lambda `REQUEST` authorizer (`CUSTOM`) that can run: its function decides
    /// the handshake, and its `principalId` and `context` reach every event of the connection.
    public let authorizer: HttpRuntimeAuthorizer?
    /// `apiKeyRequired`: the connection's API key (from its handshake, or its authorizer) must be
    /// enabled and in a usage plan of this stage, within the plan's throttle and quota.
    public let apiKeyRequired: Bool
    /// The stage's throttle for this route (`routeSettings[routeKey]`, else `defaultRouteSettings`), taken by
    /// `$connect` and by each message; nil when only the account's applies.
    public let throttle: SharedTokenBucket?
    /// How a usage plan names this route in its per-method throttles: `/{routeKey}/*`
    /// (``UsagePlanApiStage/webSocketThrottleKey(routeKey:)``).
    public let usagePlanThrottleKey: String
    /// `modelSelectionExpression` with `requestModels`: messages that fail it never reach the integration.
    public let requestValidation: WebSocketRequestValidation?
    /// The route's `requestParameters` marked `Required` (`$connect`'s handshake headers and query
    /// string): a handshake without one (or with it blank) is refused before the integration runs.
    public let requiredParameters: [WebSocketRequiredParameter]

    public init(
        routeKey: String, routeId: String, integration: WebSocketRuntimeIntegration?, twoWay: Bool, metrics: RouteMetrics,
        unenforcedAccessControl: String? = nil, requiresIam: Bool = false, authorizer: HttpRuntimeAuthorizer? = nil,
        apiKeyRequired: Bool = false, throttle: SharedTokenBucket? = nil, requestValidation: WebSocketRequestValidation? = nil,
        requiredParameters: [WebSocketRequiredParameter] = []
    ) {
        self.requiredParameters = requiredParameters
        self.throttle = throttle
        self.usagePlanThrottleKey = UsagePlanApiStage.webSocketThrottleKey(routeKey: routeKey)
        self.requestValidation = requestValidation
        self.apiKeyRequired = apiKeyRequired
        self.authorizer = authorizer
        self.unenforcedAccessControl = unenforcedAccessControl
        self.requiresIam = requiresIam
        self.routeKey = routeKey
        self.routeId = routeId
        self.integration = integration
        self.twoWay = twoWay
        self.metrics = metrics
    }
}

/// How a WebSocket route's events reach the backend.
public struct WebSocketRuntimeIntegration: Sendable {
    public enum Kind: Sendable {
        /// `MOCK`: the request template's `statusCode` selects the integration response.
        case mock
        /// `AWS_PROXY` to a function: the event is AWS's WebSocket proxy event, the function's
        /// `body` the answer.
        case lambdaProxy(LambdaTarget)
        /// `AWS` (non-proxy) to a function: the request template's output (or the message) is the payload,
        /// the function's result goes through the integration responses as status 200.
        case lambda(LambdaTarget)
        /// `HTTP_PROXY` or `HTTP` (without templates yet): the message is the body of a request
        /// to the URI with the integration's method; the backend's status and body are the answer.
        case http(HTTPTarget, method: String)
        /// Not served (yet, or misconfigured); the client gets AWS's internal-error message.
        case unusable(reason: String)
    }

    /// An integration response: the status pattern it answers and its templates.
    public struct Response: Sendable {
        /// nil for `$default`.
        public let pattern: StatusPattern?
        public let templateSelection: CompiledSelectionExpression?
        public let templates: [String: MappingTemplate]
        /// `CONVERT_TO_TEXT` / `CONVERT_TO_BINARY` for the backend's answer, or nil (as it is).
        public var contentHandling: String? = nil
    }

    public let integrationId: String
    public let kind: Kind
    public let timeoutMillis: Int
    public let templateSelection: CompiledSelectionExpression?
    public let requestTemplates: [String: MappingTemplate]
    public let responses: [Response]
    /// A non-proxy integration (`HTTP`, `MOCK`): request templates shape what the backend gets, and
    /// integration responses what the client gets. Proxy integrations pass both through (AWS: "For proxy
    /// integrations, API Gateway automatically passes the backend output to the caller as the complete payload").
    public var templated = false
    /// What a non-proxy integration does with a message no request template matches.
    public var passthroughBehavior: RequestTemplateSelector.PassthroughBehavior = .whenNoMatch
    /// `CONVERT_TO_TEXT` / `CONVERT_TO_BINARY` for the message, or nil (as it is).
    public var contentHandling: String?
    /// `requestParameters`: headers, query string parameters and path parameters of the backend request.
    public var requestParameters: [WebSocketParameterMapping] = []

    public init(
        integrationId: String, kind: Kind, timeoutMillis: Int, templateSelection: CompiledSelectionExpression?,
        requestTemplates: [String: MappingTemplate], responses: [Response]
    ) {
        self.integrationId = integrationId
        self.kind = kind
        self.timeoutMillis = timeoutMillis
        self.templateSelection = templateSelection
        self.requestTemplates = requestTemplates
        self.responses = responses
    }

    /// The request template for a message: the one keyed by the evaluated template selection
    /// expression, else `$default` (the key AWS documents as the catch-all).
    /// What a non-proxy integration does with a message: its request template, else pass it through or
    /// refuse it by `passthroughBehavior` (AWS, "Integration passthrough behaviors"; WebSocket integrations
    /// choose templates by the template selection expression instead of a content type).
    public func requestSelection(for message: JSONValue?) -> RequestTemplateSelector.Selection {
        if let template = requestTemplate(for: message) { return .transform(template) }
        switch passthroughBehavior {
        case .whenNoMatch: return .passThrough
        case .whenNoTemplates: return requestTemplates.isEmpty ? .passThrough : .unsupportedMediaType
        case .never: return .unsupportedMediaType
        }
    }

    public func requestTemplate(for message: JSONValue?) -> MappingTemplate? {
        if let templateSelection, let key = message.flatMap(templateSelection.evaluate) ?? templateSelection.constant,
            let template = requestTemplates[key]
        {
            return template
        }
        return requestTemplates["$default"]
    }

    /// The integration response for a status: the first whose pattern matches it, else `$default`.
    public func response(forStatus status: String) -> Response? {
        responses.first { $0.pattern?.matches(status) ?? false } ?? responses.first { $0.pattern == nil }
    }
}

/// An integration response key's `/regex/`, matched against the whole status text.
public struct StatusPattern: Sendable {
    public let source: String
    private let pattern: NSRegularExpression

    public init?(key: String) {
        guard key.count >= 2, key.hasPrefix("/"), key.hasSuffix("/") else { return nil }
        source = String(key.dropFirst().dropLast())
        guard let pattern = try? NSRegularExpression(pattern: "^(?:" + source + ")$", options: [.dotMatchesLineSeparators]) else {
            return nil
        }
        self.pattern = pattern
    }

    public func matches(_ status: String) -> Bool {
        pattern.firstMatch(in: status, range: NSRange(status.startIndex..., in: status)) != nil
    }
}

/// A required route request parameter of a WebSocket route (`route.request.header.{name}` or
/// `route.request.querystring.{name}` with `{"Required": true}`).
public enum WebSocketRequiredParameter: Sendable, Equatable {
    case header(String)
    case querystring(String)

    /// The parameters of `route` that must be present; other keys (not `Required`, or not a header
    /// or query string parameter) are left out.
    public static func required(by route: Route) -> [WebSocketRequiredParameter] {
        (route.requestParameters ?? [:]).sorted { $0.key < $1.key }.compactMap { key, constraints in
            guard constraints.required == true else { return nil }
            let header = "route.request.header.", querystring = "route.request.querystring."
            if key.hasPrefix(header), key.count > header.count { return .header(String(key.dropFirst(header.count))) }
            if key.hasPrefix(querystring), key.count > querystring.count { return .querystring(String(key.dropFirst(querystring.count))) }
            return nil
        }
    }

    /// The parameter's name as REST's "Missing required request parameters: [...]" lists it.
    public var name: String {
        switch self {
        case .header(let name), .querystring(let name): name
        }
    }
}
