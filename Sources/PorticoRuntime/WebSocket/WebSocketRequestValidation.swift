public import PorticoModel
public import PorticoSchema

/// Request validation of a WebSocket route (AWS, "Request validation for WebSocket APIs"): when the route has a
/// `modelSelectionExpression`, its value for the message picks the model in `requestModels` (else the `$default`
/// entry), and the message must be JSON that satisfies the model's schema. "If there is no matching model and
/// `$default` isn't defined, the validation fails." A model that is missing or whose schema does not compile
/// fails too (closed).
public struct WebSocketRequestValidation: Sendable {
    public let selection: CompiledSelectionExpression
    /// `requestModels` keys to compiled schemas (nil: the model is missing or does not compile).
    public let schemas: [String: JSONSchema?]

    public init(selection: CompiledSelectionExpression, schemas: [String: JSONSchema?]) {
        self.selection = selection
        self.schemas = schemas
    }

    /// Compiles a route's validation, or nil when the route asks for none.
    public init?(route: Route, models: ModelSchemas) {
        guard let text = route.modelSelectionExpression, !text.isEmpty, let expression = try? SelectionExpression(parsing: text) else {
            return nil
        }
        selection = CompiledSelectionExpression(expression)
        var schemas: [String: JSONSchema?] = [:]
        for (key, name) in route.requestModels ?? [:] { schemas[key] = models[name] }
        self.schemas = schemas
    }

    /// Whether the message passes (`json` is the message parsed as JSON, nil when it is not JSON).
    public func accepts(_ json: JSONValue?) -> Bool {
        guard let json else { return false }
        let key = selection.evaluate(json)
        guard let entry = key.flatMap({ schemas[$0] }) ?? schemas["$default"], let schema = entry else { return false }
        return schema.isValid(json)
    }
}
