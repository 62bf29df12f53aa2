/// A route of an HTTP API: a route key (`GET /pets/{id}`, `ANY /{proxy+}`, `$default`) and the
/// integration it targets (`integrations/{integrationId}`).
public struct Route: Codable, Sendable, Equatable {
    public var apiGatewayManaged: Bool?
    public var apiKeyRequired: Bool?
    public var authorizationScopes: [String]?
    public var authorizationType: String?
    public var authorizerId: String?
    public var modelSelectionExpression: String?
    public var operationName: String?
    public var requestModels: [String: String]?
    public var requestParameters: [String: ParameterConstraints]?
    public var routeId: String
    public var routeKey: String
    public var routeResponseSelectionExpression: String?
    public var target: String?

    public init(routeId: String, routeKey: String, target: String? = nil) {
        self.routeId = routeId
        self.routeKey = routeKey
        self.target = target
        self.apiKeyRequired = false
        self.authorizationType = "NONE"
    }

    /// The integration id named by `target`, when it has the form `integrations/{id}`.
    public var targetIntegrationId: String? {
        guard let target, target.hasPrefix("integrations/") else { return nil }
        return String(target.dropFirst("integrations/".count))
    }
}

public struct ParameterConstraints: Codable, Sendable, Equatable {
    public var required: Bool?
    public init(required: Bool? = nil) { self.required = required }
}
