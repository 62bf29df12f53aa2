import Foundation
import PorticoModel
import PorticoStore

/// CreateModel, GetModels, GetModel, UpdateModel, DeleteModel of `apigatewayv2`: JSON schemas that WebSocket
/// routes validate messages against (`modelSelectionExpression` and `requestModels`; AWS, "Request validation
/// for WebSocket APIs"). On an HTTP API, listing answers an empty list (as before) and creating one is refused
/// (Portico's guess: HTTP APIs have no use for models, and AWS's answer is not recorded).
enum ModelOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/v2/apis/{apiId}/models", createModel)
        router.add("GET", "/v2/apis/{apiId}/models", getModels)
        router.add("GET", "/v2/apis/{apiId}/models/{modelId}", getModel)
        router.add("GET", "/v2/apis/{apiId}/models/{modelId}/template", getModelTemplate)
        router.add("PATCH", "/v2/apis/{apiId}/models/{modelId}", updateModel)
        router.add("DELETE", "/v2/apis/{apiId}/models/{modelId}", deleteModel)
    }

    static func modelNotFound(_ id: String) -> APIError {
        .notFound("Invalid Model identifier specified \(id)")
    }

    /// AWS's model names are alphanumeric (the REST API side's rule, which `apigatewayv2` shares).
    static func validateName(_ name: String) throws(APIError) {
        guard !name.isEmpty, name.count <= 128, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw .badRequest("Invalid model name '\(name)': model names must be alphanumeric.")
        }
    }

    /// The schema must be a JSON object (a JSON schema draft 4 document).
    static func validateSchema(_ schema: String) throws(APIError) {
        guard let value = try? JSONSerialization.jsonObject(with: Data(schema.utf8)), value is [String: Any] else {
            throw .badRequest("Invalid model schema specified: the schema must be a JSON object.")
        }
    }

    @Sendable static func createModel(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let body = try context.body()
        let name = try body.required("name", body.string("name"))
        let schema = try body.required("schema", body.string("schema"))
        try validateName(name)
        try validateSchema(schema)
        let contentType = try body.string("contentType")
        let description = try body.string("description")
        let created = try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            guard document.api.protocolType == .websocket else {
                throw APIError.badRequest("Models are supported only for WebSocket APIs.")
            }
            guard !document.models.contains(where: { $0.name == name }) else {
                throw APIError.conflict("Model name already exists for this API")
            }
            let model = ApiModel(
                modelId: Identifier.random(length: Identifier.responseLength), name: name, schema: schema, contentType: contentType,
                description: description)
            document.models.append(model)
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
            return model
        }
        return try .json(201, created)
    }

    @Sendable static func getModels(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let query = try context.query()
        let models = try await context.transaction { transaction in try context.document(transaction, apiId).models }
        let page = try Pagination.page(
            models, kind: "models", key: \.modelId, maxResults: query.first("maxResults"), nextToken: query.first("nextToken"))
        return try .json(200, ListPage(items: page.items, nextToken: page.nextToken))
    }

    @Sendable static func getModel(_ context: OperationContext) async throws -> ManagementResponse {
        try .json(200, await model(context))
    }

    /// The model named by the path's `apiId` and `modelId`, or NotFoundException.
    private static func model(_ context: OperationContext) async throws -> ApiModel {
        let apiId = context.parameter("apiId")
        let modelId = context.parameter("modelId")
        return try await context.transaction { transaction in
            guard let model = try context.document(transaction, apiId).models.first(where: { $0.modelId == modelId }) else {
                throw modelNotFound(modelId)
            }
            return model
        }
    }

    /// GetModelTemplate: `{"value": "<a sample Velocity template of the model's shape>"}` (``ModelTemplate``).
    @Sendable static func getModelTemplate(_ context: OperationContext) async throws -> ManagementResponse {
        let model = try await model(context)
        let schema = model.schema.flatMap { JSONParser.parse(Array($0.utf8)) } ?? .object([:])
        return try .json(200, ["value": ModelTemplate.generate(schema: schema)])
    }

    @Sendable static func updateModel(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let modelId = context.parameter("modelId")
        let body = try context.body()
        let name = try body.string("name")
        let schema = try body.string("schema")
        if let name { try validateName(name) }
        if let schema { try validateSchema(schema) }
        let contentType = try body.string("contentType")
        let description = try body.string("description")
        let updated = try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            guard let index = document.models.firstIndex(where: { $0.modelId == modelId }) else { throw modelNotFound(modelId) }
            if let name, document.models.contains(where: { $0.name == name && $0.modelId != modelId }) {
                throw APIError.conflict("Model name already exists for this API")
            }
            if let name { document.models[index].name = name }
            if let schema { document.models[index].schema = schema }
            if let contentType { document.models[index].contentType = contentType }
            if let description { document.models[index].description = description }
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
            return document.models[index]
        }
        return try .json(200, updated)
    }

    @Sendable static func deleteModel(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let modelId = context.parameter("modelId")
        try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            guard let index = document.models.firstIndex(where: { $0.modelId == modelId }) else { throw modelNotFound(modelId) }
            document.models.remove(at: index)
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
        }
        return .noContent
    }
}
