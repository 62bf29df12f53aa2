/// `apigateway` ImportRestApi and PutRestApi: a REST API from an OpenAPI 3.0 or Swagger 2.0
/// definition, JSON or YAML, with the `x-amazon-apigateway-*` extensions.
///
/// Paths become the resource tree, operations methods (with request parameters, request models,
/// method responses, a request validator and the integration with its integration responses),
/// `definitions` / `components.schemas` models, and the root extensions the API's settings,
/// request validators and gateway responses. What Portico skips is listed in the API's `warnings`
/// (or, with `failOnWarnings`, rejected); errors name the field and the line.
public enum RestApiImporter {
    /// PutRestApi's `mode` (AWS developer guide, "Import an OpenAPI file to update an existing API definition").
    public enum Mode: String, Sendable {
        /// The definition's methods replace the same methods of the API; everything else the API has stays.
        case merge
        /// The API takes the definition's resources, methods, models, validators, gateway responses and
        /// settings; what the definition does not define is deleted.
        case overwrite
    }

    /// ImportRestApi into `document`, a new API (its id, root resource and creation date are kept;
    /// its default models give way to the definition's). `endpointTypes` is the
    /// `endpointConfigurationTypes` parameter, which wins over the definition's.
    public static func importDefinition(
        _ text: String, into document: RestApiDocument, basepath: String?, failOnWarnings: Bool, endpointTypes: [String]?
    ) throws(APIError) -> RestApiDocument {
        let definition = try read(text, restApiId: document.id, basepath: basepath, failOnWarnings: failOnWarnings)
        var result = document
        result.models = []
        // CreateRestApi's defaults for what neither the parameter nor the definition says: EDGE, and
        // ipv4 (dualstack for PRIVATE).
        var configuration = definition.endpointConfiguration ?? EndpointConfiguration()
        configuration.types = endpointTypes ?? configuration.types ?? ["EDGE"]
        if configuration.ipAddressType == nil { configuration.ipAddressType = configuration.types == ["PRIVATE"] ? "dualstack" : "ipv4" }
        result.restApi.endpointConfiguration = configuration
        if let disable = definition.disableExecuteApiEndpoint { result.restApi.disableExecuteApiEndpoint = disable }
        try install(definition, into: &result, mode: .overwrite)
        return result
    }

    /// PutRestApi: the definition merged into, or overwriting, an existing API. The endpoint
    /// configuration, stages and deployments are not touched (AWS: "without changing its endpoint
    /// configuration, as well as stages and stage variables"); the definition's tags are added.
    public static func put(
        _ text: String, into document: RestApiDocument, mode: Mode, basepath: String?, failOnWarnings: Bool
    ) throws(APIError) -> RestApiDocument {
        let definition = try read(text, restApiId: document.id, basepath: basepath, failOnWarnings: failOnWarnings)
        var result = document
        try install(definition, into: &result, mode: mode)
        return result
    }

    static func read(_ text: String, restApiId: String, basepath: String?, failOnWarnings: Bool) throws(APIError) -> ImportedRestDefinition {
        let definition = try LargeStackThread.read { () throws(APIError) in
            try RestDefinitionReader.read(text, restApiId: restApiId, basepath: basepath)
        }
        try definition.diagnostics.failIfWarnings(failOnWarnings)
        return definition
    }

    static func install(_ definition: ImportedRestDefinition, into document: inout RestApiDocument, mode: Mode) throws(APIError) {
        installSettings(definition, into: &document.restApi, mode: mode)
        var ids = Set(
            document.resources.map(\.id) + document.models.map(\.id) + document.requestValidators.map(\.id) + document.authorizers.map(\.id))
        func freshId(_ length: Int) -> String {
            var id = Identifier.random(length: length)
            while ids.contains(id) { id = Identifier.random(length: length) }
            ids.insert(id)
            return id
        }

        if mode == .overwrite {
            // Resources whose path the definition still has keep their ids (AWS does, even when
            // overwriting: LocalStack's test_import_rest_api_with_base_path_oas30 notes it); the others go below.
            for index in document.resources.indices { document.resources[index].resourceMethods = nil }
            document.models = []
            document.requestValidators = []
            document.gatewayResponses = []
            document.authorizers = []
        }
        upsert(definition.models, into: &document.models, name: \.name, id: \.id) { freshId(Identifier.modelLength) }
        upsert(definition.requestValidators, into: &document.requestValidators, name: \.name, id: \.id) {
            freshId(Identifier.requestValidatorLength)
        }
        upsert(definition.authorizers, into: &document.authorizers, name: \.name, id: \.id) { freshId(Identifier.authorizerLength) }
        for response in definition.gatewayResponses {
            document.gatewayResponses.removeAll { $0.responseType == response.responseType }
            document.gatewayResponses.append(response)
        }
        document.gatewayResponses.sort { $0.responseType < $1.responseType }

        for path in definition.paths {
            _ = try resourceIndex(for: path, in: &document, freshId: freshId)
        }
        for operation in definition.operations {
            let index = try resourceIndex(for: operation.path, in: &document, freshId: freshId)
            var method = operation.method
            method.requestValidatorId = operation.validatorName.flatMap { name in
                document.requestValidators.first { $0.name == name }?.id
            }
            // The reader names the method's authorizer; the installed authorizer's id replaces the name.
            if let name = method.authorizerId {
                guard let id = document.authorizers.first(where: { $0.name == name })?.id else {
                    throw .badRequest("Invalid OpenAPI input: \(method.httpMethod) \(operation.path) names an unknown authorizer \(name)")
                }
                method.authorizerId = id
            }
            // PutIntegration's default cache namespace: the resource id.
            if method.methodIntegration != nil, method.methodIntegration?.cacheNamespace == nil {
                method.methodIntegration?.cacheNamespace = document.resources[index].id
            }
            // Merge: the definition's method replaces the API's whole method, responses included
            // (AWS's example: GET /a with 200 and 206 merged with GET /a with 200 and 400 answers 200 and 400).
            document.resources[index].resourceMethods = (document.resources[index].resourceMethods ?? [:]).merging([method.httpMethod: method]) { _, new in new }
        }
        if mode == .overwrite {
            var kept: Set<String> = ["/"]
            for path in definition.paths + definition.operations.map(\.path) {
                var prefix = ""
                for part in path.split(separator: "/") {
                    prefix += "/" + part
                    kept.insert(prefix)
                }
            }
            document.resources.removeAll { !kept.contains($0.path) }
        }
        if document.resources.count > RestOperationReader.maxResources {
            throw .badRequest("Invalid OpenAPI input: a REST API can have at most \(RestOperationReader.maxResources) resources; this one would have \(document.resources.count)")
        }
    }

    /// Puts each item in place of the existing one with its name (keeping that one's id), or adds it with a fresh id.
    private static func upsert<Item, Name: Equatable>(
        _ items: [Item], into existing: inout [Item], name: KeyPath<Item, Name>, id: WritableKeyPath<Item, String>, freshId: () -> String
    ) {
        for var item in items {
            if let index = existing.firstIndex(where: { $0[keyPath: name] == item[keyPath: name] }) {
                item[keyPath: id] = existing[index][keyPath: id]
                existing[index] = item
            } else {
                item[keyPath: id] = freshId()
                existing.append(item)
            }
        }
    }

    /// The API's settings. Overwrite takes the definition's (AWS's defaults where it says nothing);
    /// merge changes only what the definition names and adds binary media types.
    private static func installSettings(_ definition: ImportedRestDefinition, into restApi: inout RestApi, mode: Mode) {
        let diagnostics = definition.diagnostics.warnings
        restApi.warnings = diagnostics.isEmpty ? nil : diagnostics
        if !definition.tags.isEmpty { restApi.tags = (restApi.tags ?? [:]).merging(definition.tags) { _, new in new } }
        switch mode {
        case .overwrite:
            restApi.name = definition.name
            restApi.description = definition.description
            restApi.version = definition.version
            restApi.binaryMediaTypes = definition.binaryMediaTypes.flatMap { $0.isEmpty ? nil : $0 }
            restApi.minimumCompressionSize = definition.minimumCompressionSize
            restApi.apiKeySource = definition.apiKeySource ?? "HEADER"
            restApi.policy = definition.policy
        case .merge:
            if let description = definition.description { restApi.description = description }
            if let version = definition.version { restApi.version = version }
            if let types = definition.binaryMediaTypes {
                let existing = restApi.binaryMediaTypes ?? []
                let merged = existing + types.filter { !existing.contains($0) }
                restApi.binaryMediaTypes = merged.isEmpty ? nil : merged
            }
            if let size = definition.minimumCompressionSize { restApi.minimumCompressionSize = size }
            if let source = definition.apiKeySource { restApi.apiKeySource = source }
            if let policy = definition.policy { restApi.policy = policy }
        }
    }

    /// The index of the resource at `path`, creating it and its missing ancestors under AWS's tree
    /// rules: at most one variable child per parent, nothing under a greedy `{proxy+}`.
    private static func resourceIndex(
        for path: String, in document: inout RestApiDocument, freshId: (Int) -> String
    ) throws(APIError) -> Int {
        guard var index = document.resources.firstIndex(where: \.isRoot) else {
            throw APIError(status: 500, type: "InternalServerErrorException", message: "The REST API has no root resource.")
        }
        for part in path.split(separator: "/").map(String.init) {
            let parent = document.resources[index]
            if let child = document.resources.firstIndex(where: { $0.parentId == parent.id && $0.pathPart == part }) {
                index = child
                continue
            }
            if let parentPart = parent.pathPart, RestPathPart(parsing: parentPart)?.isGreedy == true {
                throw .badRequest("Invalid OpenAPI input: path '\(path)': a resource cannot be created under the greedy path variable \(parentPart)")
            }
            if RestPathPart(parsing: part)?.isVariable == true,
                let sibling = document.children(of: parent.id).first(where: { RestPathPart(parsing: $0.pathPart ?? "")?.isVariable == true })
            {
                throw .badRequest(
                    "Invalid OpenAPI input: path '\(path)': \(parent.path) cannot have both \(sibling.pathPart ?? "") and \(part) as children; a resource has at most one variable child"
                )
            }
            let resource = RestResource(
                id: freshId(Identifier.resourceLength), parentId: parent.id, pathPart: part,
                path: RestResource.childPath(parentPath: parent.path, pathPart: part))
            document.resources.append(resource)
            index = document.resources.count - 1
        }
        return index
    }
}
