import Foundation
import PorticoModel
import PorticoStore

/// PutMethod, GetMethod, UpdateMethod, DeleteMethod.
enum RestMethodOperations {
    static let methodPath = "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}"

    static func register(into router: inout Router<Operation>) {
        router.add("PUT", methodPath, putMethod)
        router.add("GET", methodPath, getMethod)
        router.add("PATCH", methodPath, updateMethod)
        router.add("DELETE", methodPath, deleteMethod)
    }

    @Sendable static func putMethod(_ context: OperationContext) async throws -> ManagementResponse {
        let httpMethod = context.parameter("http_method")
        guard RestMethod.httpMethods.contains(httpMethod) else { throw RestMessages.invalidHttpMethod }
        let body = try context.body()
        let authorizationType = try body.required("authorizationType", body.string("authorizationType"))
        var template = RestMethod(httpMethod: httpMethod, authorizationType: authorizationType, apiKeyRequired: try body.bool("apiKeyRequired") ?? false)
        template.authorizerId = try body.string("authorizerId")
        template.operationName = try body.string("operationName")
        template.requestParameters = try body.boolMap("requestParameters")
        template.requestModels = try body.stringMap("requestModels")
        template.requestValidatorId = try body.string("requestValidatorId")
        template.authorizationScopes = try body.stringList("authorizationScopes")
        let method = template

        let created = try await context.transaction { transaction in
            var (document, index) = try context.restResource(transaction)
            // AWS refuses to overwrite a method; clients delete it first.
            guard document.resources[index].method(httpMethod) == nil else {
                throw APIError.conflict("Method already exists for this resource")
            }
            try RestMethodValidation.validate(method, in: document)
            document.resources[index].resourceMethods = (document.resources[index].resourceMethods ?? [:]).merging([httpMethod: method]) { $1 }
            try transaction.putRestApiDocument(document)
            return method
        }
        return try .restJSON(201, created)
    }

    @Sendable static func getMethod(_ context: OperationContext) async throws -> ManagementResponse {
        let method = try await context.transaction { transaction in try context.restMethod(transaction) }
        return try .restJSON(200, method)
    }

    @Sendable static func updateMethod(_ context: OperationContext) async throws -> ManagementResponse {
        let operations = try PatchOperation.read(try context.body(), input: "updateMethodInput")
        let updated = try await context.transaction { transaction in
            try context.changeRestMethod(transaction) { method, document in
                for operation in operations {
                    try RestMethodPatch.apply(operation, to: &method)
                }
                try RestMethodValidation.validate(method, in: document)
            }
        }
        return try .restJSON(200, updated)
    }

    @Sendable static func deleteMethod(_ context: OperationContext) async throws -> ManagementResponse {
        try await context.transaction { transaction in
            var (document, index) = try context.restResource(transaction)
            let httpMethod = context.parameter("http_method")
            guard document.resources[index].method(httpMethod) != nil else { throw RestMessages.methodNotFound }
            document.resources[index].resourceMethods?.removeValue(forKey: httpMethod)
            try transaction.putRestApiDocument(document)
        }
        return .noContent
    }
}
