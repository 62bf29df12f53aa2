/// A data model of a REST API (`CreateModel`): a JSON Schema (draft 4) kept as the text the client
/// sent, used for request validation and mapping-template generation.
public struct RestModel: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String?
    public var schema: String?
    public var contentType: String

    public init(id: String, name: String, description: String? = nil, schema: String?, contentType: String) {
        self.id = id
        self.name = name
        self.description = description
        self.schema = schema
        self.contentType = contentType
    }

    /// The two models AWS gives every new REST API, with AWS's descriptions and schemas.
    public static func defaults(ids: (empty: String, error: String)) -> [RestModel] {
        [
            RestModel(
                id: ids.empty, name: "Empty", description: "This is a default empty schema model",
                schema: #"{"$schema": "http://json-schema.org/draft-04/schema#", "title" : "Empty Schema", "type" : "object"}"#,
                contentType: "application/json"),
            RestModel(
                id: ids.error, name: "Error", description: "This is a default error schema model",
                schema: #"{"$schema" : "http://json-schema.org/draft-04/schema#", "title" : "Error Schema", "type" : "object", "properties" : { "message" : { "type" : "string" } }}"#,
                contentType: "application/json"),
        ]
    }
}
