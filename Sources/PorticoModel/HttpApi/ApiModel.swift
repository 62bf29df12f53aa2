/// An `apigatewayv2` model: a JSON schema (draft 4) by name, which WebSocket routes validate messages against
/// (`modelSelectionExpression` and `requestModels`; AWS, "Request validation for WebSocket APIs").
public struct ApiModel: Codable, Sendable, Equatable {
    public var modelId: String
    public var name: String
    public var schema: String?
    public var contentType: String?
    public var description: String?

    public init(modelId: String, name: String, schema: String?, contentType: String? = nil, description: String? = nil) {
        self.modelId = modelId
        self.name = name
        self.schema = schema
        self.contentType = contentType
        self.description = description
    }
}
