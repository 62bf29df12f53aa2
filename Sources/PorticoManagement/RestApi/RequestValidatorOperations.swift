import Foundation
import PorticoModel
import PorticoStore

/// CreateRequestValidator, GetRequestValidators, GetRequestValidator, UpdateRequestValidator,
/// DeleteRequestValidator.
enum RequestValidatorOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/restapis/{restapi_id}/requestvalidators", createRequestValidator)
        router.add("GET", "/restapis/{restapi_id}/requestvalidators", getRequestValidators)
        router.add("GET", "/restapis/{restapi_id}/requestvalidators/{requestvalidator_id}", getRequestValidator)
        router.add("PATCH", "/restapis/{restapi_id}/requestvalidators/{requestvalidator_id}", updateRequestValidator)
        router.add("DELETE", "/restapis/{restapi_id}/requestvalidators/{requestvalidator_id}", deleteRequestValidator)
    }

    @Sendable static func createRequestValidator(_ context: OperationContext) async throws -> ManagementResponse {
        let restApiId = context.restApiId
        let body = try context.body()
        let name = try body.string("name")
        let validateBody = try body.bool("validateRequestBody") ?? false
        let validateParameters = try body.bool("validateRequestParameters") ?? false
        let created = try await context.transaction { transaction in
            // Recorded: an unknown API is a 400 here, unlike everywhere else.
            guard var document = try transaction.restApiDocument(id: restApiId) else { throw RestMessages.requestValidatorApiNotFound }
            var id = Identifier.random(length: Identifier.requestValidatorLength)
            while document.requestValidator(id) != nil { id = Identifier.random(length: Identifier.requestValidatorLength) }
            let validator = RequestValidator(
                id: id, name: name, validateRequestBody: validateBody, validateRequestParameters: validateParameters)
            document.requestValidators.append(validator)
            try transaction.putRestApiDocument(document)
            return validator
        }
        return try .restJSON(201, created)
    }

    @Sendable static func getRequestValidators(_ context: OperationContext) async throws -> ManagementResponse {
        let validators = try await context.readRestDocument { document, _ in document.requestValidators }
        return try .restJSON(200, RestListPage(try context.restPage(validators, kind: "requestvalidators", key: \.id)))
    }

    /// The document and the validator's index; an unknown API is reported as an unknown validator (recorded).
    static func locate(_ context: OperationContext, _ transaction: any StoreTransaction) throws -> (RestApiDocument, Int) {
        let id = context.parameter("requestvalidator_id")
        guard let document = try transaction.restApiDocument(id: context.restApiId),
            let index = document.requestValidators.firstIndex(where: { $0.id == id })
        else {
            throw RestMessages.requestValidatorNotFound
        }
        return (document, index)
    }

    @Sendable static func getRequestValidator(_ context: OperationContext) async throws -> ManagementResponse {
        let validator = try await context.transaction { transaction in
            let (document, index) = try locate(context, transaction)
            return document.requestValidators[index]
        }
        return try .restJSON(200, validator)
    }

    static let patchPaths = ["/name", "/validateRequestParameters", "/validateRequestBody"]

    @Sendable static func updateRequestValidator(_ context: OperationContext) async throws -> ManagementResponse {
        let operations = try PatchOperation.read(try context.body(), input: "updateRequestValidatorInput")
        let updated = try await context.transaction { transaction in
            var (document, index) = try locate(context, transaction)
            for operation in operations {
                switch try operation.replacedPath(oneOf: patchPaths) {
                case "/name":
                    guard let name = operation.value, !name.isEmpty else { throw RestMessages.validatorNameBlank }
                    document.requestValidators[index].name = name
                case "/validateRequestBody":
                    // Recorded: a replace without a value turns the check off.
                    document.requestValidators[index].validateRequestBody = operation.value?.lowercased() == "true"
                default:
                    document.requestValidators[index].validateRequestParameters = operation.value?.lowercased() == "true"
                }
            }
            try transaction.putRestApiDocument(document)
            return document.requestValidators[index]
        }
        return try .restJSON(200, updated)
    }

    @Sendable static func deleteRequestValidator(_ context: OperationContext) async throws -> ManagementResponse {
        try await context.transaction { transaction in
            var (document, index) = try locate(context, transaction)
            let id = document.requestValidators[index].id
            document.requestValidators.remove(at: index)
            // Judgement: methods that named the validator stop validating rather than dangle.
            for resourceIndex in document.resources.indices {
                for (name, method) in document.resources[resourceIndex].resourceMethods ?? [:] where method.requestValidatorId == id {
                    document.resources[resourceIndex].resourceMethods?[name]?.requestValidatorId = nil
                }
            }
            try transaction.putRestApiDocument(document)
        }
        return .accepted
    }
}
