/// Reads a whole REST API definition, OpenAPI 3.0 or Swagger 2.0, as ImportRestApi and PutRestApi
/// take it (AWS developer guide, "Develop REST APIs using OpenAPI in API Gateway"), with the
/// API-level `x-amazon-apigateway-*` extensions. Paths and operations are read by
/// ``RestOperationReader``.
enum RestDefinitionReader {
    enum Specification: Sendable {
        case swagger2
        case openAPI3
    }

    private static let swaggerRootFields: Set<String> = [
        "swagger", "info", "host", "basePath", "schemes", "consumes", "produces", "paths", "definitions", "parameters",
        "responses", "securityDefinitions", "security", "tags", "externalDocs",
    ]
    private static let openAPIRootFields: Set<String> = [
        "openapi", "info", "servers", "paths", "components", "security", "tags", "externalDocs",
    ]
    /// Root extensions read here, or deliberately accepted and ignored.
    private static let rootExtensions: Set<String> = [
        "x-amazon-apigateway-request-validators", "x-amazon-apigateway-request-validator",
        "x-amazon-apigateway-gateway-responses", "x-amazon-apigateway-binary-media-types",
        "x-amazon-apigateway-api-key-source", "x-amazon-apigateway-minimum-compression-size",
        "x-amazon-apigateway-endpoint-configuration", "x-amazon-apigateway-policy",
        "x-amazon-apigateway-importexport-version", "x-amazon-apigateway-importer-version",
        // AWS imports documentation parts; Portico has none, but accepts the definition without a
        // warning (AWS imports its PetStore example, which has them, with failOnWarnings=true).
        "x-amazon-apigateway-documentation",
    ]

    /// The base URL AWS rewrites model references to: `{base}{restApiId}/models/{name}` (AWS developer
    /// guide, "Data models for REST APIs": a model references another as
    /// `https://apigateway.amazonaws.com/restapis/{restapi_id}/models/{model_name}`).
    static let modelURLPrefix = "https://apigateway.amazonaws.com/restapis/"

    static func modelURL(restApiId: String, name: String) -> String {
        "\(modelURLPrefix)\(restApiId)/models/\(name)"
    }

    static func read(_ text: String, restApiId: String, basepath: String?) throws(APIError) -> ImportedRestDefinition {
        let mode = try BasePathMode(parameter: basepath)
        let root = try DefinitionText.parse(text)
        guard case .mapping = root.node else {
            throw root.fail("expected an OpenAPI or Swagger definition (a mapping with openapi or swagger, info and paths), found \(root.kindDescription)")
        }
        let specification = try checkSpecification(root)

        let info = try root.required("info")
        let title = try info.required("title")
        var definition = ImportedRestDefinition(name: try title.string())
        guard !definition.name.isEmpty else { throw title.fail("the API name must not be empty") }
        definition.version = try info.child("version")?.string()
        definition.description = try info.child("description")?.string()
        try readTags(try root.child("tags"), into: &definition)

        let basePath: String?
        switch specification {
        case .swagger2:
            let parts = try root.child("basePath")?.string().split(separator: "/") ?? []
            basePath = parts.isEmpty ? nil : "/" + parts.joined(separator: "/")
            if let configuration = try root.child("x-amazon-apigateway-endpoint-configuration") {
                try readEndpointConfiguration(configuration, into: &definition)
            }
        case .openAPI3:
            let servers = try root.child("servers")
            basePath = try BasePathMode.basePath(of: servers)
            for server in try servers?.elements() ?? [] {
                guard let configuration = try server.child("x-amazon-apigateway-endpoint-configuration") else { continue }
                try readEndpointConfiguration(configuration, into: &definition)
                break
            }
        }

        try readSettings(root, into: &definition)
        let validatorNames = Set(definition.requestValidators.compactMap(\.name))
        var defaultValidator: String?
        if let node = try root.child("x-amazon-apigateway-request-validator") {
            let name = try node.string()
            guard validatorNames.contains(name) else {
                throw node.fail("request validator '\(name)' is not defined in x-amazon-apigateway-request-validators")
            }
            defaultValidator = name
        }

        let components = specification == .openAPI3 ? try root.child("components") : nil
        let schemas = specification == .openAPI3 ? try components?.child("schemas") : try root.child("definitions")
        let schemaPrefix = specification == .openAPI3 ? "#/components/schemas/" : "#/definitions/"
        let schemaEntries = try schemas?.entries() ?? []
        var reader = RestOperationReader(
            specification: specification, root: root, restApiId: restApiId, basePath: basePath, mode: mode,
            schemaPrefix: schemaPrefix, modelNames: Set(schemaEntries.map(\.key)), validatorNames: validatorNames,
            defaultValidator: defaultValidator)
        for entry in schemaEntries {
            try reader.addModel(named: entry.key, keyLine: entry.keyLine, schema: entry.value, into: &definition)
        }
        let securitySchemes = specification == .openAPI3 ? try components?.child("securitySchemes") : try root.child("securityDefinitions")
        try reader.readSecuritySchemes(securitySchemes, rootSecurity: try root.child("security"))
        definition.authorizers = reader.authorizers
        if specification == .swagger2 {
            reader.rootConsumes = try root.child("consumes")?.stringList() ?? []
            reader.rootProduces = try root.child("produces")?.stringList() ?? []
        }

        let known = specification == .openAPI3 ? openAPIRootFields : swaggerRootFields
        // x-amazon-apigateway-cors (HTTP APIs only), ...: the import goes on without them.
        definition.diagnostics.reportFields(
            try root.entries(), except: known.union(rootExtensions), extensions: .warn("is not supported by Portico for REST APIs. Ignoring."))
        if let paths = try root.child("paths") {
            try reader.read(paths, into: &definition)
        } else {
            definition.diagnostics.warn("Parse issue: attribute paths is missing")
        }
        return definition
    }

    /// REST APIs import Swagger 2.0 and OpenAPI 3.0 (AWS: "API Gateway supports OpenAPI v2.0 and
    /// OpenAPI v3.0 definition files"). Anything else, OpenAPI 3.1 included, is refused.
    private static func checkSpecification(_ root: DefinitionNode) throws(APIError) -> Specification {
        if let swagger = try root.child("swagger") {
            let version = try swagger.string()
            guard version == "2.0" else {
                throw swagger.fail("REST APIs support Swagger 2.0 and OpenAPI 3.0 definitions; found swagger '\(version)'")
            }
            return .swagger2
        }
        guard let openapi = try root.child("openapi") else {
            throw .invalidOpenAPI(
                "openapi", line: root.line, "attribute openapi (or swagger) is missing; REST APIs import Swagger 2.0 and OpenAPI 3.0 definitions")
        }
        let version = try openapi.string()
        guard version == "3.0" || version.hasPrefix("3.0.") else {
            throw openapi.fail("REST APIs support Swagger 2.0 and OpenAPI 3.0 definitions; found openapi '\(version)'")
        }
        return .openAPI3
    }

    /// Root tags with `x-amazon-apigateway-tag-value` become the API's tags, as for HTTP APIs.
    private static func readTags(_ tags: DefinitionNode?, into definition: inout ImportedRestDefinition) throws(APIError) {
        guard let tags else { return }
        for tag in try tags.elements() {
            guard let value = try tag.child("x-amazon-apigateway-tag-value") else { continue }
            definition.tags[try tag.required("name").string()] = try value.string()
        }
    }

    /// `x-amazon-apigateway-endpoint-configuration`: at the root of a Swagger 2.0 definition, on a
    /// server of an OpenAPI 3.0 one (AWS developer guide, "x-amazon-apigateway-endpoint-configuration object").
    private static func readEndpointConfiguration(_ node: DefinitionNode, into definition: inout ImportedRestDefinition) throws(APIError) {
        var configuration = EndpointConfiguration()
        for entry in try node.entries() where !entry.value.isNull {
            switch entry.key {
            case "types":
                let types = try entry.value.stringList().map { $0.uppercased() }
                guard types.count == 1, let type = types.first, EndpointConfiguration.endpointTypes.contains(type) else {
                    throw entry.value.fail("expected one endpoint type: REGIONAL, EDGE or PRIVATE")
                }
                configuration.types = types
            case "vpcEndpointIds":
                configuration.vpcEndpointIds = try entry.value.stringList()
            case "ipAddressType":
                let type = try entry.value.string()
                guard EndpointConfiguration.ipAddressTypes.contains(type) else { throw entry.value.fail("expected ipv4 or dualstack") }
                configuration.ipAddressType = type
            case "disableExecuteApiEndpoint":
                definition.disableExecuteApiEndpoint = try entry.value.boolean()
            default:
                definition.diagnostics.unexpected(entry)
            }
        }
        if configuration != EndpointConfiguration() { definition.endpointConfiguration = configuration }
    }

    /// The API-level extensions: validators, gateway responses, binary media types, API key source,
    /// minimum compression size and the resource policy.
    private static func readSettings(_ root: DefinitionNode, into definition: inout ImportedRestDefinition) throws(APIError) {
        if let node = try root.child("x-amazon-apigateway-binary-media-types") {
            definition.binaryMediaTypes = try node.stringList()
        }
        if let node = try root.child("x-amazon-apigateway-api-key-source") {
            let source = try node.string().uppercased()
            guard source == "HEADER" || source == "AUTHORIZER" else { throw node.fail("expected HEADER or AUTHORIZER") }
            definition.apiKeySource = source
        }
        if let node = try root.child("x-amazon-apigateway-minimum-compression-size") {
            definition.minimumCompressionSize = try node.integer(in: 0...RestApi.maximumCompressionSize)
        }
        if let node = try root.child("x-amazon-apigateway-policy") {
            // AWS stores the policy document as JSON text.
            if let text = node.scalarText {
                definition.policy = text
            } else {
                definition.policy = try node.exportValue(rewritingReferences: { $0 }).compactJSONText()
            }
        }
        for entry in try root.child("x-amazon-apigateway-request-validators")?.entries() ?? [] {
            var validator = RequestValidator(id: "", name: entry.key)
            for field in try entry.value.entries() where !field.value.isNull {
                switch field.key {
                case "validateRequestBody": validator.validateRequestBody = try field.value.boolean()
                case "validateRequestParameters": validator.validateRequestParameters = try field.value.boolean()
                default: definition.diagnostics.unexpected(field)
                }
            }
            definition.requestValidators.append(validator)
        }
        for entry in try root.child("x-amazon-apigateway-gateway-responses")?.entries() ?? [] {
            guard let type = GatewayResponseType(rawValue: entry.key) else {
                throw .invalidOpenAPI(
                    entry.value.path, line: entry.keyLine,
                    "unknown gateway response type '\(entry.key)'; expected one of \(GatewayResponseType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var response = GatewayResponse(responseType: type, statusCode: nil, responseTemplates: [:], defaultResponse: false)
            for field in try entry.value.entries() where !field.value.isNull {
                switch field.key {
                case "statusCode":
                    response.statusCode = String(try field.value.integer(in: 100...599))
                case "responseParameters": response.responseParameters = try field.value.stringMap()
                case "responseTemplates": response.responseTemplates = try field.value.stringMap()
                default: definition.diagnostics.unexpected(field)
                }
            }
            definition.gatewayResponses.append(response)
        }
    }
}
