import Foundation
import PorticoModel
import PorticoStore

/// PutMethodResponse, GetMethodResponse, UpdateMethodResponse, DeleteMethodResponse.
enum RestMethodResponseOperations {
    static let path = RestMethodOperations.methodPath + "/responses/{status_code}"

    static func register(into router: inout Router<Operation>) {
        router.add("PUT", path, putMethodResponse)
        router.add("GET", path, getMethodResponse)
        router.add("PATCH", path, updateMethodResponse)
        router.add("DELETE", path, deleteMethodResponse)
    }

    @Sendable static func putMethodResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let statusCode = try context.restStatusCode()
        let body = try context.body()
        var template = MethodResponse(statusCode: statusCode)
        // Recorded: AWS echoes both maps, empty when the request had none.
        template.responseParameters = try body.boolMap("responseParameters") ?? [:]
        template.responseModels = try body.stringMap("responseModels") ?? [:]
        let response = template
        let created = try await context.transaction { transaction in
            try context.changeRestMethod(transaction) { method, document in
                try validate(response, in: document)
                // A second put replaces the response (recorded: 201 again).
                method.methodResponses = (method.methodResponses ?? [:]).merging([statusCode: response]) { $1 }
            }
        }
        return try .restJSON(201, created.methodResponses?[statusCode])
    }

    static func validate(_ response: MethodResponse, in document: RestApiDocument) throws(APIError) {
        for name in (response.responseModels ?? [:]).values.sorted() where document.model(named: name) == nil {
            throw RestMessages.unknownModel(name)
        }
    }

    @Sendable static func getMethodResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let statusCode = try context.restStatusCode()
        let response = try await context.transaction { transaction in
            guard let response = try context.restMethod(transaction).methodResponses?[statusCode] else {
                throw RestMessages.responseNotFound
            }
            return response
        }
        return try .restJSON(200, response)
    }

    @Sendable static func updateMethodResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let operations = try PatchOperation.read(try context.body(), input: "updateMethodResponseInput")
        let statusCode = try context.restStatusCode()
        let updated = try await context.transaction { transaction in
            try context.changeRestMethod(transaction) { method, document in
                guard var response = method.methodResponses?[statusCode] else { throw RestMessages.responseNotFound }
                for operation in operations {
                    try apply(operation, to: &response)
                }
                try validate(response, in: document)
                method.methodResponses?[statusCode] = response
            }
        }
        // UpdateMethodResponse answers 201, not 200 (botocore model; recorded).
        return try .restJSON(201, updated.methodResponses?[statusCode])
    }

    /// `/responseParameters/{name}` (value `true`/`false`) and `/responseModels/{contentType}`;
    /// replacing or removing a missing entry is a 404, as AWS records it.
    static func apply(_ operation: PatchOperation, to response: inout MethodResponse) throws(APIError) {
        let segments = operation.segments
        switch (segments.first, segments.count) {
        case ("responseParameters", 2):
            try PatchMap.apply(operation, key: segments[1], to: &response.responseParameters, missing: RestMessages.parameterNotFound) {
                value throws(APIError) in value.lowercased() == "true"
            }
        case ("responseModels", 2):
            try PatchMap.apply(operation, key: segments[1], to: &response.responseModels, missing: RestMessages.contentTypeNotFound)
        default:
            throw operation.invalidPath
        }
    }

    @Sendable static func deleteMethodResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let statusCode = try context.restStatusCode()
        try await context.transaction { transaction in
            _ = try context.changeRestMethod(transaction) { method, _ in
                guard method.methodResponses?.removeValue(forKey: statusCode) != nil else { throw RestMessages.responseNotFound }
            }
        }
        return .noContent
    }
}
