import PorticoModel

/// One `requestParameters` entry of a WebSocket integration, parsed once per deployment (AWS, "Set up data
/// mapping for WebSocket APIs in API Gateway"): `integration.request.{header|querystring|path}.NAME` on the
/// left; on the right `route.request.header.NAME`, `route.request.querystring.NAME`, their `multivalue`
/// forms (AWS: "supported only for the $connect route"), `route.request.body.JSONPath`,
/// `stageVariables.NAME`, `context.NAME` or a static `'value'`.
///
/// The sources are REST's (``RestValueSource``) with `route.request` in place of `method.request`, so the
/// data plane resolves them with the same cases; path parameters and integration-response sources do not
/// exist on a WebSocket route and are refused.
public struct WebSocketParameterMapping: Sendable, Equatable {
    public let target: RestParameterTarget
    public let source: RestValueSource

    public init(target: RestParameterTarget, source: RestValueSource) {
        self.target = target
        self.source = source
    }

    /// nil when either side is not a form AWS documents for WebSocket APIs.
    public init?(key: String, expression: String) {
        guard let target = RestParameterTarget(parsing: key), let source = Self.source(expression) else { return nil }
        self.init(target: target, source: source)
    }

    /// The source of a mapping expression, or nil when WebSocket APIs have no such source.
    public static func source(_ expression: String) -> RestValueSource? {
        let text = expression.trimmingPrefixSpaces
        if text.hasPrefix("method.") || text.hasPrefix("integration.") { return nil }
        let rewritten = text.hasPrefix("route.request.") ? "method.request." + text.dropFirst("route.request.".count) : text
        guard let source = RestValueSource(parsing: rewritten) else { return nil }
        switch source {
        case .requestPath, .responseHeader, .responseMultiValueHeader, .responseBody: return nil
        default: return source
        }
    }
}
