import Foundation
import PorticoModel
import PorticoStore

/// CreateModel, GetModels, GetModel, UpdateModel, DeleteModel.
enum RestModelOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/restapis/{restapi_id}/models", createModel)
        router.add("GET", "/restapis/{restapi_id}/models", getModels)
        router.add("GET", "/restapis/{restapi_id}/models/{model_name}", getModel)
        router.add("PATCH", "/restapis/{restapi_id}/models/{model_name}", updateModel)
        router.add("DELETE", "/restapis/{restapi_id}/models/{model_name}", deleteModel)
    }

    @Sendable static func createModel(_ context: OperationContext) async throws -> ManagementResponse {
        let body = try context.body()
        let name = try body.string("name") ?? ""
        let contentType = try body.required("contentType", body.string("contentType"))
        let description = try body.string("description")
        let schema = try body.string("schema")
        let created = try await context.changeRestDocument { document, _ in
            guard !name.isEmpty else { throw RestMessages.modelNameEmpty }
            guard name.unicodeScalars.allSatisfy({ $0.isASCII && CharacterSet.alphanumerics.contains($0) }) else {
                throw RestMessages.modelNameNotAlphanumeric(name)
            }
            guard document.model(named: name) == nil else { throw RestMessages.modelExists }
            try validateSchema(schema)
            var modelId = Identifier.random(length: Identifier.modelLength)
            while document.models.contains(where: { $0.id == modelId }) { modelId = Identifier.random(length: Identifier.modelLength) }
            let model = RestModel(id: modelId, name: name, description: description, schema: schema, contentType: contentType)
            document.models.append(model)
            return model
        }
        return try .restJSON(201, created)
    }

    /// A schema must be JSON, and not empty (recorded: a missing or empty schema is refused with
    /// "at least 1 property or array items"; a schema with only a `type` is accepted).
    static func validateSchema(_ schema: String?) throws(APIError) {
        guard let schema, !schema.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RestMessages.modelSchemaEmpty
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(schema.utf8))
        } catch {
            throw RestMessages.modelSchemaInvalid
        }
        guard case .object(let members) = value else { throw RestMessages.modelSchemaInvalid }
        guard !members.isEmpty else { throw RestMessages.modelSchemaEmpty }
    }

    @Sendable static func getModels(_ context: OperationContext) async throws -> ManagementResponse {
        let models = try await context.readRestDocument { document, _ in document.models }
        return try .restJSON(200, RestListPage(try context.restPage(models, kind: "models", key: \.name)))
    }

    @Sendable static func getModel(_ context: OperationContext) async throws -> ManagementResponse {
        let name = context.parameter("model_name")
        let model = try await context.readRestDocument { document, _ in
            guard let model = document.model(named: name) else { throw RestMessages.modelNotFound(name) }
            return model
        }
        return try .restJSON(200, model)
    }

    static let patchPaths = ["/description", "/schema"]

    @Sendable static func updateModel(_ context: OperationContext) async throws -> ManagementResponse {
        let name = context.parameter("model_name")
        let operations = try PatchOperation.read(try context.body(), input: "updateModelInput")
        let updated = try await context.changeRestDocument { document, _ in
            guard let index = document.models.firstIndex(where: { $0.name == name }) else { throw RestMessages.modelNotFound(name) }
            for operation in operations {
                if try operation.replacedPath(oneOf: patchPaths) == "/schema" {
                    try validateSchema(operation.value)
                    document.models[index].schema = operation.value
                } else {
                    document.models[index].description = operation.value.flatMap { $0.isEmpty ? nil : $0 }
                }
            }
            return document.models[index]
        }
        return try .restJSON(200, updated)
    }

    @Sendable static func deleteModel(_ context: OperationContext) async throws -> ManagementResponse {
        let name = context.parameter("model_name")
        try await context.changeRestDocument { document, _ in
            guard document.model(named: name) != nil else { throw RestMessages.modelNotFound(name) }
            // AWS refuses while a method request uses the model, naming it as `{path}/{method}`.
            for (resource, method) in document.allMethods where (method.requestModels ?? [:]).values.contains(name) {
                throw RestMessages.modelInUse(name, methodPath: "\(resource.path)/\(method.httpMethod)")
            }
            document.models.removeAll { $0.name == name }
        }
        return .accepted
    }
}
