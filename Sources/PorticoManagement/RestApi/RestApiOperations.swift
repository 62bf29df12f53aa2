import Foundation
import PorticoModel
import PorticoStore

/// CreateRestApi, GetRestApis, GetRestApi, UpdateRestApi, DeleteRestApi.
enum RestApiOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/restapis", createRestApi)
        router.add("GET", "/restapis", getRestApis)
        router.add("GET", "/restapis/{restapi_id}", getRestApi)
        router.add("PATCH", "/restapis/{restapi_id}", updateRestApi)
        router.add("DELETE", "/restapis/{restapi_id}", deleteRestApi)
    }

    @Sendable static func createRestApi(_ context: OperationContext) async throws -> ManagementResponse {
        // ImportRestApi shares the path (`POST /restapis?mode=import`).
        if try context.query().first("mode") != nil {
            return try await RestImportExportOperations.importRestApi(context)
        }
        let body = try context.body()
        let name = try body.required("name", body.string("name"))
        guard !name.isEmpty else { throw RestMessages.emptyApiName }
        if body.has("cloneFrom") {
            throw APIError.badRequest("Portico does not support cloneFrom yet.")
        }
        var template = RestApi(id: "", name: name, rootResourceId: "", createdDate: context.now)
        if let description = try body.string("description") {
            // AWS refuses an empty description on create (it accepts clearing one by patch).
            guard !description.isEmpty else { throw RestMessages.emptyDescription }
            template.description = description
        }
        template.version = try body.string("version")
        if let types = try body.stringList("binaryMediaTypes"), !types.isEmpty { template.binaryMediaTypes = types }
        if let size = try body.integer("minimumCompressionSize") {
            guard (0...RestApi.maximumCompressionSize).contains(size) else { throw RestMessages.compressionSize }
            template.minimumCompressionSize = size
        }
        if let source = try body.enumeration("apiKeySource", ["HEADER", "AUTHORIZER"]) { template.apiKeySource = source }
        if let configuration = try body.object("endpointConfiguration") {
            template.endpointConfiguration = try readEndpointConfiguration(configuration)
        }
        template.policy = try body.string("policy")
        try RestResourcePolicyValidation.check(template.policy)
        if let flag = try body.bool("disableExecuteApiEndpoint") { template.disableExecuteApiEndpoint = flag }
        if let tags = try body.stringMap("tags") { template.tags = try TagValidation.merged([:], with: tags) }
        let restApi = template

        let created = try await context.transaction { transaction in
            try createDocument(restApi, transaction: transaction).restApi
        }
        return try .restJSON(201, created)
    }

    /// Creates and stores a new REST API with its root resource and AWS's default models; the
    /// seam ImportRestApi builds on.
    static func createDocument(_ template: RestApi, transaction: any StoreTransaction) throws -> RestApiDocument {
        var restApi = template
        restApi.id = try ApiIdentifiers.newApiId(transaction)
        let root = RestResource(
            id: Identifier.random(length: Identifier.rootResourceLength), parentId: nil, pathPart: nil, path: "/")
        restApi.rootResourceId = root.id
        let models = RestModel.defaults(
            ids: (Identifier.random(length: Identifier.modelLength), Identifier.random(length: Identifier.modelLength)))
        let document = RestApiDocument(restApi: restApi, root: root, models: models)
        try transaction.putRestApiDocument(document)
        return document
    }

    /// `endpointConfiguration` of CreateRestApi, with AWS's defaults (`EDGE`; `ipv4`, or
    /// `dualstack` for `PRIVATE`) and its recorded refusals.
    static func readEndpointConfiguration(_ body: JSONBody) throws(APIError) -> EndpointConfiguration {
        let types = try body.stringList("types") ?? ["EDGE"]
        let ipAddressType = try body.string("ipAddressType")
        var errors: [String] = []
        if let wrong = types.first(where: { !EndpointConfiguration.endpointTypes.contains($0) }) {
            errors.append(
                "Value '[\(wrong)]' at 'createRestApiInput.endpointConfiguration.types' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [PRIVATE, EDGE, REGIONAL]]"
            )
        }
        if let ipAddressType, !EndpointConfiguration.ipAddressTypes.contains(ipAddressType) {
            errors.append(
                RestMessages.enumViolation(
                    ipAddressType, at: "createRestApiInput.endpointConfiguration.ipAddressType", allowed: EndpointConfiguration.ipAddressTypes))
        }
        guard errors.isEmpty else { throw RestMessages.validationErrors(errors) }
        guard !types.isEmpty else { throw RestMessages.noEndpointTypes }
        guard types.count == 1 else { throw RestMessages.multipleEndpointTypes }
        let isPrivate = types == ["PRIVATE"]
        if isPrivate && ipAddressType == "ipv4" { throw RestMessages.privateNeedsDualstack }
        return EndpointConfiguration(
            types: types, ipAddressType: ipAddressType ?? (isPrivate ? "dualstack" : "ipv4"),
            vpcEndpointIds: try body.stringList("vpcEndpointIds"))
    }

    @Sendable static func getRestApis(_ context: OperationContext) async throws -> ManagementResponse {
        let apis = try await context.transaction { transaction in try transaction.allRestApiDocuments().map(\.restApi) }
        return try .restJSON(200, RestListPage(try context.restPage(apis, kind: "restapis", key: \.id)))
    }

    @Sendable static func getRestApi(_ context: OperationContext) async throws -> ManagementResponse {
        try .restJSON(200, try await context.readRestDocument { document, _ in document.restApi })
    }

    @Sendable static func updateRestApi(_ context: OperationContext) async throws -> ManagementResponse {
        let operations = try PatchOperation.read(try context.body(), input: "updateRestApiInput")
        let updated = try await context.changeRestDocument { document, _ in
            for operation in operations {
                try RestApiPatch.apply(operation, to: &document.restApi)
            }
            return document.restApi
        }
        return try .restJSON(200, updated)
    }

    @Sendable static func deleteRestApi(_ context: OperationContext) async throws -> ManagementResponse {
        let restApiId = context.restApiId
        try await context.transaction { transaction in
            _ = try context.restDocument(transaction, restApiId)
            try transaction.deleteRestApiDocument(id: restApiId)
        }
        return .accepted
    }
}
