/// An integration response of a WebSocket API integration (`apigatewayv2`
/// CreateIntegrationResponse): for non-proxy integrations, how the backend's answer is turned into
/// the message sent back on a two-way route. `integrationResponseKey` is `$default` or a
/// `/regex/` matched against the integration's status (AWS: "Set up a WebSocket API integration
/// response").
public struct WebSocketIntegrationResponse: Codable, Sendable, Equatable {
    public var contentHandlingStrategy: String?
    public var integrationResponseId: String
    public var integrationResponseKey: String
    public var responseParameters: [String: String]?
    public var responseTemplates: [String: String]?
    public var templateSelectionExpression: String?

    public init(integrationResponseId: String, integrationResponseKey: String) {
        self.integrationResponseId = integrationResponseId
        self.integrationResponseKey = integrationResponseKey
    }
}
