import Foundation
import PorticoModel
import PorticoStore

/// CreateAuthorizer, GetAuthorizers, GetAuthorizer, UpdateAuthorizer, DeleteAuthorizer, stored in
/// the REST API's document beside its request validators.
enum RestAuthorizerOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/restapis/{restapi_id}/authorizers", createAuthorizer)
        router.add("GET", "/restapis/{restapi_id}/authorizers", getAuthorizers)
        router.add("GET", "/restapis/{restapi_id}/authorizers/{authorizer_id}", getAuthorizer)
        router.add("PATCH", "/restapis/{restapi_id}/authorizers/{authorizer_id}", updateAuthorizer)
        router.add("DELETE", "/restapis/{restapi_id}/authorizers/{authorizer_id}", deleteAuthorizer)
    }

    @Sendable static func createAuthorizer(_ context: OperationContext) async throws -> ManagementResponse {
        let restApiId = context.restApiId
        let body = try context.body()
        var template = RestAuthorizer(
            id: "", name: try body.required("name", body.string("name")), type: try body.required("type", body.string("type")))
        template.providerARNs = try body.stringList("providerARNs")
        template.authType = try body.string("authType")
        template.authorizerUri = try body.string("authorizerUri")
        template.authorizerCredentials = try body.string("authorizerCredentials")
        template.identitySource = try body.string("identitySource")
        template.identityValidationExpression = try body.string("identityValidationExpression")
        // AWS answers 300 when the request leaves the TTL out.
        template.authorizerResultTtlInSeconds = try body.integer("authorizerResultTtlInSeconds") ?? RestAuthorizer.defaultResultTtl
        // Recorded (test_authorizer_crud_no_api): AWS checks the request before the API exists.
        try RestAuthorizerValidation.validate(template)
        let checked = template
        let created = try await context.transaction { transaction in
            // Recorded (AWS_FACTS 7): an unknown API is a 409 ConflictException here.
            guard var document = try transaction.restApiDocument(id: restApiId) else { throw RestMessages.authorizerApiNotFound }
            var authorizer = checked
            authorizer.id = Identifier.random(length: Identifier.authorizerLength)
            while document.authorizer(authorizer.id) != nil { authorizer.id = Identifier.random(length: Identifier.authorizerLength) }
            document.authorizers.append(authorizer)
            try transaction.putRestApiDocument(document)
            return authorizer
        }
        return try .restJSON(201, created)
    }

    @Sendable static func getAuthorizers(_ context: OperationContext) async throws -> ManagementResponse {
        let authorizers = try await context.readRestDocument { document, _ in document.authorizers }
        return try .restJSON(200, RestListPage(try context.restPage(authorizers, kind: "authorizers", key: \.id)))
    }

    /// The document and the authorizer's index; an unknown API answers as GetAuthorizers does.
    static func locate(_ context: OperationContext, _ transaction: any StoreTransaction) throws -> (RestApiDocument, Int) {
        let id = context.parameter("authorizer_id")
        let document = try context.restDocument(transaction, context.restApiId)
        guard let index = document.authorizers.firstIndex(where: { $0.id == id }) else { throw RestMessages.authorizerNotFound }
        return (document, index)
    }

    @Sendable static func getAuthorizer(_ context: OperationContext) async throws -> ManagementResponse {
        let authorizer = try await context.transaction { transaction in
            let (document, index) = try locate(context, transaction)
            return document.authorizers[index]
        }
        return try .restJSON(200, authorizer)
    }

    static let patchPaths = [
        "/name", "/type", "/authorizerUri", "/authorizerCredentials", "/identitySource", "/identityValidationExpression",
        "/authorizerResultTtlInSeconds", "/authType", "/providerARNs",
    ]

    @Sendable static func updateAuthorizer(_ context: OperationContext) async throws -> ManagementResponse {
        let operations = try PatchOperation.read(try context.body(), input: "updateAuthorizerInput")
        let updated = try await context.transaction { transaction in
            var (document, index) = try locate(context, transaction)
            var authorizer = document.authorizers[index]
            for operation in operations {
                try apply(operation, to: &authorizer)
            }
            try RestAuthorizerValidation.validate(authorizer)
            document.authorizers[index] = authorizer
            try transaction.putRestApiDocument(document)
            return authorizer
        }
        return try .restJSON(200, updated)
    }

    static func apply(_ operation: PatchOperation, to authorizer: inout RestAuthorizer) throws(APIError) {
        if operation.segments.first == "providerARNs" {
            var arns = authorizer.providerARNs ?? []
            let arn = operation.segments.count == 2 ? operation.segments[1] : try operation.requiredValue()
            switch operation.op {
            case .add: if !arns.contains(arn) { arns.append(arn) }
            case .remove: arns.removeAll { $0 == arn }
            default: throw operation.invalidPath
            }
            authorizer.providerARNs = arns.isEmpty ? nil : arns
            return
        }
        let path = try operation.replacedPath(oneOf: patchPaths)
        let value = operation.value.flatMap { $0.isEmpty ? nil : $0 }
        switch path {
        case "/name": authorizer.name = value ?? ""
        case "/type": authorizer.type = value ?? ""
        case "/authorizerUri": authorizer.authorizerUri = value
        case "/authorizerCredentials": authorizer.authorizerCredentials = value
        case "/identitySource": authorizer.identitySource = value
        case "/identityValidationExpression": authorizer.identityValidationExpression = value
        case "/authType": authorizer.authType = value
        default:
            guard let value, let ttl = Int(value) else {
                throw .badRequest("Invalid authorizer TTL specified. Value must be between 0 and \(RestAuthorizer.maximumResultTtl)")
            }
            authorizer.authorizerResultTtlInSeconds = ttl
        }
    }

    @Sendable static func deleteAuthorizer(_ context: OperationContext) async throws -> ManagementResponse {
        try await context.transaction { transaction in
            var (document, index) = try locate(context, transaction)
            let authorizer = document.authorizers[index]
            // AWS refuses to delete an authorizer a method still uses (ConflictException).
            for (resource, method) in document.allMethods where method.authorizerId == authorizer.id {
                throw RestMessages.authorizerInUse(authorizer.name, method: method.httpMethod, path: resource.path)
            }
            document.authorizers.remove(at: index)
            try transaction.putRestApiDocument(document)
        }
        return .accepted
    }
}
