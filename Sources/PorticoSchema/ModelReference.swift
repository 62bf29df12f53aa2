/// A `$ref` to another model of a REST API, as API Gateway writes them:
/// `https://apigateway.amazonaws.com/restapis/{restapi_id}/models/{model_name}`.
public struct ModelReference: Sendable, Hashable {
    public var restApiId: String
    public var modelName: String

    public init(restApiId: String, modelName: String) {
        self.restApiId = restApiId
        self.modelName = modelName
    }

    /// Parses the URL part of a `$ref` (before any `#`); nil when it is not a model URL.
    public init?(url: some StringProtocol) {
        var rest = Substring(url)
        if rest.hasPrefix("https://") { rest = rest.dropFirst(8) } else if rest.hasPrefix("http://") { rest = rest.dropFirst(7) } else { return nil }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].lowercased() == "apigateway.amazonaws.com", parts[1] == "restapis", !parts[2].isEmpty,
            parts[3] == "models", !parts[4].isEmpty
        else { return nil }
        self.restApiId = String(parts[2])
        self.modelName = String(parts[4])
    }

    public var url: String { "https://apigateway.amazonaws.com/restapis/\(restApiId)/models/\(modelName)" }
}
