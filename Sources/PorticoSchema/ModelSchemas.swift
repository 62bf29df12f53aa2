public import PorticoModel

/// The compiled schemas of one REST API's models (one deployment's `models`), each compiled once with
/// `$ref`s to the others resolved. A model whose schema does not compile is left out and its error
/// kept in ``errors`` (the management API rejects such schemas; a deployment may still carry one).
public struct ModelSchemas: Sendable {
    private var schemas: [String: JSONSchema] = [:]
    /// Models whose schema did not compile, by name.
    public private(set) var errors: [String: SchemaError] = [:]

    public init(models: [RestModel], restApiId: String, limits: JSONSchema.Limits = JSONSchema.Limits()) {
        var parsed: [String: JSONValue] = [:]
        for model in models {
            // A model without a schema constrains nothing.
            guard let text = model.schema else {
                parsed[model.name] = .object([:])
                continue
            }
            if let value = JSONSchema.parse(Array(text.utf8)) {
                parsed[model.name] = value
            } else {
                errors[model.name] = SchemaError(keyword: "", pointer: "#", reason: "the schema of model \"\(model.name)\" is not valid JSON")
            }
        }
        for (name, value) in parsed {
            do {
                schemas[name] = try JSONSchema(compiling: value, limits: limits) { reference in
                    reference.restApiId == restApiId ? parsed[reference.modelName] : nil
                }
            } catch {
                errors[name] = error
            }
        }
    }

    /// The compiled schema of the model called `name`.
    public subscript(name: String) -> JSONSchema? { schemas[name] }
}
