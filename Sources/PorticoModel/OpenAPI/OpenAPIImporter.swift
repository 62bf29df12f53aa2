public import Foundation

/// `apigatewayv2` ImportApi and ReimportApi: an HTTP API from an OpenAPI 3.0 definition, in JSON or YAML.
///
/// Each operation becomes a route (`x-amazon-apigateway-any-method` an `ANY` route, and the one
/// marked `isDefaultRoute`, or found under `/$default`, the `$default` route); each
/// `x-amazon-apigateway-integration` an integration, identical ones shared; `x-amazon-apigateway-cors`
/// the CORS configuration; root tags with `x-amazon-apigateway-tag-value` the API's tags. What HTTP
/// APIs ignore is listed in `importInfo`, what is wrong but not fatal in `warnings` (or, with
/// `failOnWarnings`, rejected), and errors name the field and the line.
public enum OpenAPIImporter {
    /// Builds a new API document from an OpenAPI 3.0 definition (JSON or YAML text; detect which).
    /// `basepath` is ImportApi's `basepath` query parameter (ignore | prepend | split, AWS semantics).
    public static func makeDocument(
        from text: String, apiId: String, basepath: String?, failOnWarnings: Bool, now: Date
    ) throws(APIError) -> ApiDocument {
        let definition = try readDefinition(text, basepath: basepath, failOnWarnings: failOnWarnings)
        var document = ApiDocument(api: Api(apiId: apiId, name: definition.name, protocolType: .http, createdDate: now))
        install(definition, into: &document)
        return document
    }

    /// ReimportApi: replaces the API's definition (routes, integrations, cors, name/description/version...) with the
    /// definition's, keeping apiId, createdDate, stages and deployments, as AWS does on reimport.
    public static func reimport(
        _ text: String, into existing: ApiDocument, basepath: String?, failOnWarnings: Bool, now: Date
    ) throws(APIError) -> ApiDocument {
        guard existing.api.protocolType == .http else {
            throw .badRequest("ReimportApi is supported only for HTTP APIs.")
        }
        let definition = try readDefinition(text, basepath: basepath, failOnWarnings: failOnWarnings)
        var document = existing
        install(definition, into: &document)
        return document
    }

    /// Reads and checks the definition on a thread with a deep stack (see ``LargeStackThread``).
    /// With `failOnWarnings`, any warning fails the import before anything changes.
    static func readDefinition(_ text: String, basepath: String?, failOnWarnings: Bool) throws(APIError) -> ImportedDefinition {
        let definition = try LargeStackThread.read { () throws(APIError) in try DefinitionReader.read(text, basepath: basepath) }
        try definition.diagnostics.failIfWarnings(failOnWarnings)
        return definition
    }

    /// Puts the definition into `document`: the API's settings, and routes and integrations with
    /// fresh ids in place of the old ones. The API's id, creation date, endpoint, tags not named by
    /// the definition, stages and deployments stay.
    static func install(_ definition: ImportedDefinition, into document: inout ApiDocument) {
        var api = document.api
        api.name = definition.name
        api.protocolType = .http
        api.routeSelectionExpression = "$request.method $request.path"
        api.version = definition.version
        api.description = definition.description
        api.corsConfiguration = definition.corsConfiguration
        api.warnings = definition.diagnostics.warnings.isEmpty ? nil : definition.diagnostics.warnings
        api.importInfo = definition.diagnostics.infos.isEmpty ? nil : definition.diagnostics.infos
        // The endpoint settings change only when a server's x-amazon-apigateway-endpoint-configuration names them.
        if let disable = definition.disableExecuteApiEndpoint { api.disableExecuteApiEndpoint = disable }
        if let ipAddressType = definition.ipAddressType { api.ipAddressType = ipAddressType }
        if !definition.tags.isEmpty { api.tags = (api.tags ?? [:]).merging(definition.tags) { _, new in new } }
        document.api = api

        var used = Set<String>()
        func freshId(length: Int) -> String {
            var id = Identifier.random(length: length)
            while used.contains(id) { id = Identifier.random(length: length) }
            used.insert(id)
            return id
        }
        let integrations = definition.integrations.map { integration in
            var integration = integration
            integration.integrationId = freshId(length: Identifier.integrationLength)
            return integration
        }
        document.integrations = integrations
        let authorizers = definition.authorizers.map { authorizer in
            var authorizer = authorizer
            authorizer.authorizerId = freshId(length: Identifier.authorizerLength)
            return authorizer
        }
        document.authorizers = authorizers
        document.routes = definition.routes.map { imported in
            let target = imported.integrationIndex.map { "integrations/\(integrations[$0].integrationId)" }
            var route = Route(routeId: freshId(length: Identifier.routeLength), routeKey: imported.routeKey, target: target)
            route.operationName = imported.operationName
            if imported.usesIam {
                route.authorizationType = "AWS_IAM"
            } else if let name = imported.authorizerName, let authorizer = authorizers.first(where: { $0.name == name }) {
                route.authorizationType = authorizer.authorizerType == "JWT" ? "JWT" : "CUSTOM"
                route.authorizerId = authorizer.authorizerId
                if authorizer.authorizerType == "JWT", !imported.authorizationScopes.isEmpty {
                    route.authorizationScopes = imported.authorizationScopes
                }
            }
            return route
        }
        // Route settings of a route the definition no longer has go, as DeleteRoute drops them: left behind,
        // they would fail every later UpdateStage of that stage ("Unable to find Route by key ...").
        let routeKeys = Set(document.routes.map(\.routeKey))
        for index in document.stages.indices {
            document.stages[index].routeSettings = document.stages[index].routeSettings?.filter { routeKeys.contains($0.key) }
        }
    }
}
