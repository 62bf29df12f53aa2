import Foundation

/// Reads a whole OpenAPI 3.0 definition of an HTTP API, as ImportApi and ReimportApi take it.
enum DefinitionReader {
    private static let rootFields: Set<String> = [
        "openapi", "info", "servers", "paths", "components", "security", "tags", "externalDocs",
        "x-amazon-apigateway-cors", "x-amazon-apigateway-importexport-version", "x-amazon-apigateway-importer-version",
    ]

    static func read(_ text: String, basepath: String?) throws(APIError) -> ImportedDefinition {
        let mode = try BasePathMode(parameter: basepath)
        let root = try DefinitionText.parse(text)
        guard case .mapping = root.node else {
            throw root.fail("expected an OpenAPI definition (a mapping with openapi, info and paths), found \(root.kindDescription)")
        }
        try checkSpecification(root)

        let info = try root.required("info")
        let title = try info.required("title")
        var definition = ImportedDefinition(name: try title.string())
        guard (1...128).contains(definition.name.count) else { throw title.fail("the API name must be 1 to 128 characters long") }
        if let version = try info.child("version") {
            definition.version = try version.string()
            guard (1...64).contains(definition.version?.count ?? 0) else { throw version.fail("the version must be 1 to 64 characters long") }
        }
        if let description = try info.child("description") {
            definition.description = try description.string()
            guard (definition.description?.count ?? 0) <= 1024 else { throw description.fail("the description must be at most 1024 characters long") }
        }

        let servers = try root.child("servers")
        let basePath = try BasePathMode.basePath(of: servers)
        try readEndpointConfiguration(servers, into: &definition)
        try readTags(try root.child("tags"), into: &definition)
        if let cors = try root.child("x-amazon-apigateway-cors") {
            definition.corsConfiguration = try CorsReader.read(cors, diagnostics: &definition.diagnostics)
        }

        var reader = PathsReader(basePath: basePath, mode: mode, sharedIntegrations: [:], schemaNames: [], rootSecurity: try root.child("security"))
        if let components = try root.child("components") {
            for entry in try components.child("x-amazon-apigateway-integrations")?.entries() ?? [] {
                reader.sharedIntegrations[entry.key] = entry.value
            }
            for entry in try components.child("schemas")?.entries() ?? [] {
                reader.schemaNames.insert(entry.key)
            }
            for entry in try components.child("securitySchemes")?.entries() ?? [] {
                if let authType = try entry.value.child("x-amazon-apigateway-authtype"), try authType.string().lowercased() == "awssigv4" {
                    reader.iamSchemes.insert(entry.key)
                    continue
                }
                guard let settings = try entry.value.child("x-amazon-apigateway-authorizer") else { continue }
                switch try settings.child("type")?.string().lowercased() {
                case "request":
                    definition.authorizers.append(try readAuthorizer(named: entry.key, settings: settings))
                case "jwt":
                    definition.authorizers.append(try readJwtAuthorizer(named: entry.key, settings: settings))
                    reader.jwtAuthorizers.insert(entry.key)
                default:
                    continue
                }
                reader.lambdaAuthorizers.insert(entry.key)
            }
        }
        // REST API settings (binary media types, gateway responses, request validators, policy...) are information.
        definition.diagnostics.reportFields(try root.entries(), except: rootFields, extensions: .inform("is supported only for REST APIs. Ignoring."))
        if let paths = try root.child("paths") {
            try reader.read(paths, into: &definition)
        } else {
            definition.diagnostics.warn("Parse issue: attribute paths is missing")
        }
        return definition
    }

    /// An HTTP API Lambda authorizer from its `x-amazon-apigateway-authorizer` object (AWS:
    /// "x-amazon-apigateway-authorizer object"): `identitySource` is a comma-separated string there.
    private static func readAuthorizer(named name: String, settings: DefinitionNode) throws(APIError) -> Authorizer {
        var authorizer = Authorizer(authorizerId: "", authorizerType: "REQUEST", name: name)
        let uri = try settings.required("authorizerUri")
        authorizer.authorizerUri = try uri.string()
        authorizer.authorizerCredentialsArn = try settings.child("authorizerCredentials")?.string()
        let version = try settings.required("authorizerPayloadFormatVersion")
        authorizer.authorizerPayloadFormatVersion = try version.string()
        guard ["1.0", "2.0"].contains(authorizer.authorizerPayloadFormatVersion ?? "") else { throw version.fail("expected 1.0 or 2.0") }
        if let simple = try settings.child("enableSimpleResponses") { authorizer.enableSimpleResponses = try simple.boolean() }
        authorizer.authorizerResultTtlInSeconds = try settings.child("authorizerResultTtlInSeconds")?.integer(in: 0...3600)
        if let sources = try settings.child("identitySource")?.string() {
            authorizer.identitySource = sources.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        for source in authorizer.identitySource ?? [] where HttpIdentitySource(expression: source) == nil {
            throw settings.fail("invalid identity source \(source)")
        }
        return authorizer
    }

    /// An HTTP API JWT authorizer (AWS: "x-amazon-apigateway-authorizer object", type `jwt`):
    /// `jwtConfiguration` with `issuer` and `audience`, and one `identitySource`.
    private static func readJwtAuthorizer(named name: String, settings: DefinitionNode) throws(APIError) -> Authorizer {
        var authorizer = Authorizer(authorizerId: "", authorizerType: "JWT", name: name)
        let configuration = try settings.required("jwtConfiguration")
        let issuer = try configuration.required("issuer")
        var jwt = JwtConfiguration(issuer: try issuer.string())
        guard JwtIssuer.isAcceptable(jwt.issuer ?? "") else { throw issuer.fail("the issuer must be an https URL") }
        jwt.audience = try configuration.child("audience")?.elements().map { node throws(APIError) in try node.string() }
        authorizer.jwtConfiguration = jwt
        let source = try settings.child("identitySource")?.string() ?? "$request.header.Authorization"
        guard HttpIdentitySource(expression: source) != nil else { throw settings.fail("invalid identity source \(source)") }
        authorizer.identitySource = [source]
        return authorizer
    }

    /// HTTP APIs import OpenAPI 3.0 only. AWS documents a Swagger 2.0 definition as an error ("HTTP
    /// APIs support only the OpenAPI 3.0 specification"), and only version 1.0 of the import algorithm.
    private static func checkSpecification(_ root: DefinitionNode) throws(APIError) {
        if let swagger = try root.child("swagger") {
            let version = swagger.scalarText ?? "?"
            throw swagger.fail(
                "HTTP APIs support only the OpenAPI 3.0 specification; this is a Swagger \(version) definition. Convert it to OpenAPI 3.0 and import it again."
            )
        }
        let openapi = try root.required("openapi")
        let version = try openapi.string()
        guard version == "3.0" || version.hasPrefix("3.0.") else {
            throw openapi.fail("HTTP APIs support only the OpenAPI 3.0 specification; found openapi '\(version)'")
        }
        for key in ["x-amazon-apigateway-importexport-version", "x-amazon-apigateway-importer-version"] {
            guard let node = try root.child(key) else { continue }
            let algorithm = try node.string()
            guard algorithm == "1.0" else { throw node.fail("the only supported version is 1.0, found '\(algorithm)'") }
        }
    }

    /// Root tags become the API's tags: `name` is the key, `x-amazon-apigateway-tag-value` the value,
    /// and a tag without a value gets the empty string, as AWS documents.
    private static func readTags(_ tags: DefinitionNode?, into definition: inout ImportedDefinition) throws(APIError) {
        guard let tags else { return }
        for tag in try tags.elements() {
            let nameNode = try tag.required("name")
            let name = try nameNode.string()
            // AWS tag rules: keys of 1 to 128 characters that do not start with "aws:", values up to 256.
            guard (1...128).contains(name.count), !name.lowercased().hasPrefix("aws:") else {
                throw nameNode.fail("a tag key must be 1 to 128 characters long and must not start with 'aws:'")
            }
            let valueNode = try tag.child("x-amazon-apigateway-tag-value")
            let value = try valueNode?.string() ?? ""
            if let valueNode, value.count > 256 { throw valueNode.fail("a tag value must be at most 256 characters long") }
            definition.tags[name] = value
        }
    }

    /// `x-amazon-apigateway-endpoint-configuration` on a server object (OpenAPI 3.0): for HTTP APIs,
    /// `disableExecuteApiEndpoint` and `ipAddressType`. The first server that has one counts.
    private static func readEndpointConfiguration(_ servers: DefinitionNode?, into definition: inout ImportedDefinition) throws(APIError) {
        guard let servers else { return }
        for server in try servers.elements() {
            guard let configuration = try server.child("x-amazon-apigateway-endpoint-configuration") else { continue }
            for entry in try configuration.entries() where !entry.value.isNull {
                switch entry.key {
                case "disableExecuteApiEndpoint":
                    definition.disableExecuteApiEndpoint = try entry.value.boolean()
                case "ipAddressType":
                    let type = try entry.value.string()
                    guard type == "ipv4" || type == "dualstack" else { throw entry.value.fail("expected ipv4 or dualstack") }
                    definition.ipAddressType = type
                case "vpcEndpointIds", "types":
                    definition.diagnostics.inform("\(entry.value.path) (line \(entry.keyLine)) is supported only for REST APIs. Ignoring.")
                default:
                    definition.diagnostics.warn("Parse issue: attribute \(entry.value.path) is unexpected (line \(entry.keyLine))")
                }
            }
            return
        }
    }
}
