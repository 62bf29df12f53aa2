/// Reads the `paths` object: one route per operation, with its integration.
struct PathsReader {
    var basePath: String?
    var mode: BasePathMode
    /// `components.x-amazon-apigateway-integrations`, by name.
    var sharedIntegrations: [String: DefinitionNode]
    /// The names under `components.schemas`, to report references to missing models.
    var schemaNames: Set<String>
    /// The root `security`, which applies to operations that have none of their own.
    var rootSecurity: DefinitionNode?
    /// Security schemes that are Lambda (`request`) authorizers, by name.
    var lambdaAuthorizers: Set<String> = []
    /// The JWT authorizers among them (their requirements carry scopes).
    var jwtAuthorizers: Set<String> = []
    /// `apiKey` schemes marked `x-amazon-apigateway-authtype: awsSigv4`: IAM authorization.
    var iamSchemes: Set<String> = []

    /// AWS's quota of routes per API.
    static let maxRoutes = 300
    static let anyMethodKey = "x-amazon-apigateway-any-method"
    private static let operationKeys: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch"]
    private static let pathItemKeys: Set<String> = ["summary", "description", "servers", "parameters"]
    private static let operationFields: Set<String> = [
        "tags", "summary", "description", "externalDocs", "operationId", "parameters", "requestBody", "responses", "callbacks",
        "deprecated", "security", "servers", "isDefaultRoute", "x-amazon-apigateway-integration",
    ]

    func read(_ paths: DefinitionNode, into definition: inout ImportedDefinition) throws(APIError) {
        for path in try paths.entries() {
            // AWS: "Parse issue: attribute paths. Resource $default should start with /" -- a warning,
            // and the path is skipped. The $default route is written as "/$default".
            guard path.key.hasPrefix("/") else {
                definition.diagnostics.warn("Parse issue: attribute paths. Resource \(path.key) should start with / (line \(path.keyLine))")
                continue
            }
            guard !path.value.isNull else { continue }
            for item in try path.value.entries() where !item.value.isNull {
                if Self.operationKeys.contains(item.key) {
                    try readOperation(item.value, method: item.key.uppercased(), path: path, into: &definition)
                } else if item.key == Self.anyMethodKey {
                    try readOperation(item.value, method: "ANY", path: path, into: &definition)
                } else {
                    inspectPathItemField(item, path: path.key, diagnostics: &definition.diagnostics)
                }
            }
        }
        if definition.routes.count > Self.maxRoutes {
            throw paths.fail("an HTTP API can have at most \(Self.maxRoutes) routes; the definition has \(definition.routes.count)")
        }
    }

    private func inspectPathItemField(_ item: DefinitionNode.Entry, path: String, diagnostics: inout ImportDiagnostics) {
        let location = "(line \(item.keyLine))"
        switch item.key {
        case _ where Self.pathItemKeys.contains(item.key):
            return
        case "trace":
            diagnostics.warn("Parse issue: attribute \(item.value.path) \(location): HTTP APIs do not support the TRACE method. Ignoring.")
        case "$ref":
            diagnostics.warn("Parse issue: attribute \(item.value.path) \(location): path item references are not supported. Ignoring.")
        case "x-amazon-apigateway-integration":
            // The extension belongs to an operation; at the path level AWS has nothing to attach it to.
            diagnostics.warn(
                "Parse issue: attribute \(item.value.path) \(location) is not allowed on a path; put it on an operation. Ignoring.")
        case _ where item.key.hasPrefix("x-"):
            return
        default:
            diagnostics.warn("Parse issue: attribute \(item.value.path) is unexpected \(location)")
        }
    }

    private func readOperation(
        _ operation: DefinitionNode, method: String, path: DefinitionNode.Entry, into definition: inout ImportedDefinition
    ) throws(APIError) {
        let fields = try operation.entries()
        // The $default route: an x-amazon-apigateway-any-method with isDefaultRoute, which AWS exports
        // under the path "/$default". The base path does not apply to it.
        var isDefaultRoute = method == "ANY" && path.key == "/$default"
        if method == "ANY", let flag = try operation.child("isDefaultRoute") {
            isDefaultRoute = try flag.boolean() || isDefaultRoute
        }
        let routeKey: String
        if isDefaultRoute {
            routeKey = "$default"
        } else {
            routeKey = "\(method) \(mode.apply(basePath: basePath, to: path.key))"
            do {
                _ = try RouteKey(parsing: routeKey)
            } catch {
                throw .invalidOpenAPI(path.value.path, line: path.keyLine, error.message)
            }
        }
        if definition.routes.contains(where: { $0.routeKey == routeKey }) {
            throw operation.fail("duplicate route key '\(routeKey)'")
        }

        var route = ImportedDefinition.ImportedRoute(routeKey: routeKey)
        route.operationName = try operation.child("operationId")?.string()
        if let security = try operation.child("security") ?? rootSecurity {
            switch try checkSecurity(security, routeKey: routeKey, diagnostics: &definition.diagnostics) {
            case .authorizer(let name, let scopes)?:
                route.authorizerName = name
                route.authorizationScopes = scopes
            case .iam?:
                route.usesIam = true
            case nil:
                break
            }
        }
        if let node = try operation.child("x-amazon-apigateway-integration"),
            let integration = try IntegrationReader.read(
                node, routeKey: routeKey, components: sharedIntegrations, diagnostics: &definition.diagnostics)
        {
            route.integrationIndex = definition.index(of: integration)
        }
        let label = "paths.'\(path.key)'(\(method == "ANY" ? Self.anyMethodKey : method.lowercased()))"
        if let body = try operation.child("requestBody") {
            // AWS's example of "info": HTTP APIs do not validate requests, so requestBody and its schema are ignored.
            definition.diagnostics.inform(
                "HTTP APIs do not support request validation. Ignoring \(body.path) of '\(routeKey)' (line \(body.line)).")
            checkSchemaReferences(in: body, label: "\(label).requestBody", diagnostics: &definition.diagnostics)
        }
        if let responses = try operation.child("responses") {
            for response in (try? responses.entries()) ?? [] {
                checkSchemaReferences(in: response.value, label: "\(label).responses.\(response.key)", diagnostics: &definition.diagnostics)
            }
        }
        definition.diagnostics.reportFields(fields, except: Self.operationFields, extensions: .inform("is supported only for REST APIs. Ignoring."))
        definition.routes.append(route)
    }

    /// AWS's warning for a `$ref` to a model that `components.schemas` does not define:
    /// `Parse issue: attribute paths.'/update'(get).responses.200.content.schema.#/components/schemas/X is missing`.
    private func checkSchemaReferences(in node: DefinitionNode, label: String, diagnostics: inout ImportDiagnostics) {
        guard let content = node.lenientChild("content") else { return }
        for media in (try? content.entries()) ?? [] {
            guard let reference = media.value.lenientChild("schema")?.lenientChild("$ref"), let text = reference.scalarText else {
                continue
            }
            let prefix = "#/components/schemas/"
            if text.hasPrefix(prefix), !schemaNames.contains(String(text.dropFirst(prefix.count))) {
                diagnostics.warn("Parse issue: attribute \(label).content.schema.\(text) is missing (line \(reference.line))")
            }
        }
    }

    /// AWS allows one authorization per route: IAM, a Lambda authorizer or a JWT authorizer. More
    /// than one security requirement is an error. A Lambda (`request`) authorizer protects the
    /// route (its name is returned), as does a JWT authorizer (with the requirement's scopes); an
    /// `awsSigv4` scheme (AWS: "x-amazon-apigateway-authtype property") makes it an `AWS_IAM` route.
    /// A scheme Portico cannot enforce would, on AWS, be a warning and an open route; silently
    /// opening a route the definition protects is not safe by default, so Portico refuses the import.
    private func checkSecurity(
        _ security: DefinitionNode, routeKey: String, diagnostics: inout ImportDiagnostics
    ) throws(APIError) -> RouteSecurity? {
        let requirements = try security.elements()
        var schemes: [String] = []
        var scopes: [String] = []
        for requirement in requirements {
            for scheme in try requirement.entries() {
                schemes.append(scheme.key)
                for element in try scheme.value.elements() { scopes.append(try element.string()) }
            }
        }
        if requirements.count > 1 || schemes.count > 1 {
            throw security.fail(
                "HTTP APIs support only one security requirement per operation (IAM authorization, a Lambda authorizer or a JWT authorizer); found \(schemes.count)"
            )
        }
        if let scheme = schemes.first, lambdaAuthorizers.contains(scheme) {
            // A JWT authorizer's requirement lists the route's scopes; a Lambda one's is empty.
            return .authorizer(scheme, jwtAuthorizers.contains(scheme) ? scopes : [])
        }
        if let scheme = schemes.first, iamSchemes.contains(scheme) { return .iam }
        if let scheme = schemes.first {
            throw security.fail(
                "route '\(routeKey)' requires security scheme '\(scheme)', but Portico supports only Lambda and JWT authorizers and awsSigv4 (IAM); remove the requirement to import the route without authorization"
            )
        }
        return nil
    }
}

/// What a route's security requirement asks for.
enum RouteSecurity {
    /// A Lambda or JWT authorizer by scheme name, with a JWT requirement's scopes.
    case authorizer(String, [String])
    /// IAM authorization (`AWS_IAM`).
    case iam
}
