/// Reads the `paths` of a REST API definition: each operation becomes a method on the resource of
/// its path, with request parameters, request models, method responses, authorization, a request
/// validator and its `x-amazon-apigateway-integration`.
struct RestOperationReader {
    /// How an operation's security requirement maps onto a REST method.
    enum SecurityKind {
        /// `type: apiKey`, `name: x-api-key`, `in: header`: the method requires an API key.
        case apiKey
        /// `x-amazon-apigateway-authtype: awsSigv4`: IAM authorization.
        case sigv4
        /// A Lambda or Cognito authorizer (`x-amazon-apigateway-authorizer`).
        case authorizer
        case other
    }

    let specification: RestDefinitionReader.Specification
    let root: DefinitionNode
    let restApiId: String
    let basePath: String?
    let mode: BasePathMode
    /// `#/definitions/` or `#/components/schemas/`.
    let schemaPrefix: String
    var modelNames: Set<String>
    let validatorNames: Set<String>
    let defaultValidator: String?
    var securitySchemes: [String: SecurityKind] = [:]
    /// Authorizers from `x-amazon-apigateway-authorizer` schemes, named after the scheme, without ids.
    var authorizers: [RestAuthorizer] = []
    var rootSecurity: DefinitionNode?
    /// Swagger 2.0's root `consumes` and `produces`.
    var rootConsumes: [String] = []
    var rootProduces: [String] = []

    /// AWS's quota of resources per REST API (``RestApiImporter`` checks it on the finished tree).
    static let maxResources = 300
    static let anyMethodKey = "x-amazon-apigateway-any-method"
    private static let operationKeys = ["get", "put", "post", "delete", "options", "head", "patch"]
    private static let operationFields: Set<String> = [
        "tags", "summary", "description", "externalDocs", "operationId", "parameters", "requestBody", "responses", "callbacks",
        "deprecated", "security", "servers", "consumes", "produces", "schemes",
        "x-amazon-apigateway-integration", "x-amazon-apigateway-request-validator", "x-amazon-apigateway-auth",
    ]
    private static let defaultMediaType = "application/json"

    init(
        specification: RestDefinitionReader.Specification, root: DefinitionNode, restApiId: String, basePath: String?,
        mode: BasePathMode, schemaPrefix: String, modelNames: Set<String>, validatorNames: Set<String>, defaultValidator: String?
    ) {
        self.specification = specification
        self.root = root
        self.restApiId = restApiId
        self.basePath = basePath
        self.mode = mode
        self.schemaPrefix = schemaPrefix
        self.modelNames = modelNames
        self.validatorNames = validatorNames
        self.defaultValidator = defaultValidator
    }

    // MARK: Models

    /// A schema of `definitions` / `components.schemas` as a model. AWS requires alphanumeric model names.
    func addModel(named name: String, keyLine: Int, schema: DefinitionNode, into definition: inout ImportedRestDefinition) throws(APIError) {
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(Self.isModelNameScalar)
        else {
            throw .invalidOpenAPI(schema.path, line: keyLine, "Model name must be alphanumeric: \(name)")
        }
        let text = try schemaText(schema, label: schema.path, diagnostics: &definition.diagnostics)
        definition.models.append(RestModel(id: "", name: name, schema: text, contentType: Self.defaultMediaType))
    }

    /// A schema as a model's JSON Schema (draft 4) text, as AWS converts it: local model references
    /// rewritten to AWS's model URLs, OpenAPI-only keywords dropped (`nullable: true` becomes a
    /// `null` member of `type`). A reference to a model the definition does not have is AWS's warning.
    private func schemaText(_ schema: DefinitionNode, label: String, diagnostics: inout ImportDiagnostics) throws(APIError) -> String {
        var missing: [String] = []
        let value = try schema.exportValue { reference in
            guard reference.hasPrefix(schemaPrefix) else { return reference }
            let name = String(reference.dropFirst(schemaPrefix.count))
            if !modelNames.contains(name) { missing.append(reference) }
            return RestDefinitionReader.modelURL(restApiId: restApiId, name: name)
        }
        for reference in missing {
            diagnostics.warn("Parse issue: attribute \(label).\(reference) is missing (line \(schema.line))")
        }
        return JSONSchemaDraft4.converted(value).jsonText()
    }

    /// The model a request body or response schema names: the referenced model, or a model made
    /// for an inline schema (named after the operation, as Portico's choice). `nil` when the
    /// reference names a model the definition lacks (a warning).
    private mutating func model(
        for schemaNode: DefinitionNode, generatedName: String, into definition: inout ImportedRestDefinition
    ) throws(APIError) -> String? {
        if let reference = try schemaNode.child("$ref")?.string(), reference.hasPrefix(schemaPrefix) {
            let name = String(reference.dropFirst(schemaPrefix.count))
            guard modelNames.contains(name) else {
                definition.diagnostics.warn("Parse issue: attribute \(schemaNode.path).\(reference) is missing (line \(schemaNode.line))")
                return nil
            }
            return name
        }
        var name = generatedName
        var counter = 1
        while modelNames.contains(name) {
            counter += 1
            name = generatedName + String(counter)
        }
        modelNames.insert(name)
        let text = try schemaText(schemaNode, label: schemaNode.path, diagnostics: &definition.diagnostics)
        definition.models.append(RestModel(id: "", name: name, schema: text, contentType: Self.defaultMediaType))
        return name
    }

    // MARK: Security

    mutating func readSecuritySchemes(_ schemes: DefinitionNode?, rootSecurity: DefinitionNode?) throws(APIError) {
        self.rootSecurity = rootSecurity
        for entry in try schemes?.entries() ?? [] {
            let scheme = try resolve(entry.value)
            if let settings = try scheme.child("x-amazon-apigateway-authorizer") {
                securitySchemes[entry.key] = .authorizer
                authorizers.append(try readAuthorizer(named: entry.key, scheme: scheme, settings: settings))
            } else if try scheme.child("x-amazon-apigateway-authtype")?.string().lowercased() == "awssigv4" {
                securitySchemes[entry.key] = .sigv4
            } else if try scheme.child("type")?.string() == "apiKey", try scheme.child("in")?.string() == "header",
                try scheme.child("name")?.string().lowercased() == "x-api-key"
            {
                securitySchemes[entry.key] = .apiKey
            } else {
                securitySchemes[entry.key] = .other
            }
        }
    }

    /// An `x-amazon-apigateway-authorizer` object (AWS: "x-amazon-apigateway-authorizer object"):
    /// `type` `token`, `request` or `cognito_user_pools`, the function's `authorizerUri`, and for a
    /// TOKEN authorizer without `identitySource` the header the scheme names.
    private func readAuthorizer(named name: String, scheme: DefinitionNode, settings: DefinitionNode) throws(APIError) -> RestAuthorizer {
        let typeNode = try settings.required("type")
        let type = try typeNode.string().uppercased()
        guard RestAuthorizer.types.contains(type) else {
            throw typeNode.fail("expected token, request or cognito_user_pools")
        }
        var authorizer = RestAuthorizer(id: "", name: name, type: type)
        authorizer.authorizerUri = try settings.child("authorizerUri")?.string()
        authorizer.authorizerCredentials = try settings.child("authorizerCredentials")?.string()
        authorizer.identitySource = try settings.child("identitySource")?.string()
        authorizer.identityValidationExpression = try settings.child("identityValidationExpression")?.string()
        authorizer.providerARNs = try settings.child("providerARNs")?.stringList()
        authorizer.authorizerResultTtlInSeconds =
            try settings.child("authorizerResultTtlInSeconds")?.integer(in: 0...RestAuthorizer.maximumResultTtl) ?? RestAuthorizer.defaultResultTtl
        if type == "TOKEN", authorizer.identitySource == nil, let header = try scheme.child("name")?.string() {
            authorizer.identitySource = "method.request.header." + header
        }
        if authorizer.isLambda, authorizer.authorizerUri == nil {
            throw settings.fail("authorizerUri is required for \(type) authorizers")
        }
        return authorizer
    }

    /// AWS reads an API key requirement, IAM authorization and authorizers from `security`. A
    /// method an authorizer protects carries the authorizer's *name* in `authorizerId` until
    /// ``RestApiImporter`` installs the authorizers and puts their ids in its place.
    private func applySecurity(_ security: DefinitionNode, to method: inout RestMethod, label: String, diagnostics: inout ImportDiagnostics)
        throws(APIError)
    {
        for requirement in try security.elements() {
            for scheme in try requirement.entries() {
                switch securitySchemes[scheme.key] {
                case .apiKey: method.apiKeyRequired = true
                case .sigv4: method.authorizationType = "AWS_IAM"
                case .authorizer:
                    let type = authorizers.first { $0.name == scheme.key }?.type
                    method.authorizationType = type == "COGNITO_USER_POOLS" ? "COGNITO_USER_POOLS" : "CUSTOM"
                    method.authorizerId = scheme.key
                    let scopes = try scheme.value.stringList()
                    if !scopes.isEmpty { method.authorizationScopes = scopes }
                case .other:
                    diagnostics.warn("Security scheme '\(scheme.key)' of \(label) is not an API Gateway scheme (line \(scheme.keyLine)). Ignoring.")
                case nil:
                    diagnostics.warn("Parse issue: attribute \(security.path).\(scheme.key) names an undefined security scheme (line \(scheme.keyLine))")
                }
            }
        }
    }

    // MARK: References

    /// Follows a local `$ref` (`#/parameters/Id`, `#/components/responses/NotFound`, ...) to its target.
    func resolve(_ node: DefinitionNode) throws(APIError) -> DefinitionNode {
        var current = node
        for _ in 0..<16 {
            guard case .mapping = current.node, let refNode = try current.child("$ref") else { return current }
            let reference = try refNode.string()
            guard reference.hasPrefix("#/") else { throw refNode.fail("only local references (#/...) are supported") }
            var target = root
            for part in reference.dropFirst(2).split(separator: "/") {
                let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                guard let next = try target.child(key) else { throw refNode.fail("reference '\(reference)' does not resolve") }
                target = next
            }
            current = target
        }
        throw node.fail("references nest too deeply")
    }

    // MARK: Paths

    mutating func read(_ paths: DefinitionNode, into definition: inout ImportedRestDefinition) throws(APIError) {
        for path in try paths.entries() {
            guard path.key.hasPrefix("/") else {
                definition.diagnostics.warn("Parse issue: attribute paths. Resource \(path.key) should start with / (line \(path.keyLine))")
                continue
            }
            let resourcePath = mode.apply(basePath: basePath, to: path.key)
            try checkPath(resourcePath, node: path.value, line: path.keyLine)
            definition.paths.append(resourcePath)
            guard !path.value.isNull else { continue }
            let item = try resolve(path.value)
            let shared = try item.child("parameters")?.elements() ?? []
            for field in try item.entries() where !field.value.isNull {
                if Self.operationKeys.contains(field.key) {
                    try readOperation(field.value, method: field.key.uppercased(), path: resourcePath, shared: shared, into: &definition)
                } else if field.key == Self.anyMethodKey {
                    try readOperation(field.value, method: "ANY", path: resourcePath, shared: shared, into: &definition)
                } else if !["summary", "description", "servers", "parameters", "$ref"].contains(field.key) && !field.key.hasPrefix("x-") {
                    definition.diagnostics.unexpected(field)
                }
            }
        }
    }

    /// Every part of a path must be a valid resource path part (AWS's rule, quoted from CreateResource).
    private func checkPath(_ path: String, node: DefinitionNode, line: Int) throws(APIError) {
        for part in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() where !(part.isEmpty && path == "/") {
            guard RestPathPart(parsing: String(part)) != nil else {
                throw .invalidOpenAPI(node.path, line: line, "invalid path '\(path)': \(RestPathPart.invalidMessage)")
            }
        }
    }

    private mutating func readOperation(
        _ node: DefinitionNode, method httpMethod: String, path: String, shared: [DefinitionNode],
        into definition: inout ImportedRestDefinition
    ) throws(APIError) {
        let operation = try resolve(node)
        let label = "\(httpMethod) \(path)"
        var method = RestMethod(httpMethod: httpMethod, authorizationType: "NONE")
        method.operationName = try operation.child("operationId")?.string()
        let baseName = Self.modelBaseName(operationName: method.operationName, httpMethod: httpMethod, path: path)

        // Parameters: the path item's, overridden by the operation's of the same name and location.
        var parameters: [String: DefinitionNode] = [:]
        var order: [String] = []
        for parameter in shared + (try operation.child("parameters")?.elements() ?? []) {
            let resolved = try resolve(parameter)
            let key = "\(try resolved.required("in").string()) \(try resolved.required("name").string())"
            if parameters[key] == nil { order.append(key) }
            parameters[key] = resolved
        }
        var requestParameters: [String: Bool] = [:]
        var requestModels: [String: String] = [:]
        for key in order {
            guard let parameter = parameters[key] else { continue }
            let location = try parameter.required("in").string()
            let name = try parameter.required("name").string()
            let required = try parameter.child("required")?.boolean() ?? false
            switch location {
            case "path": requestParameters["method.request.path.\(name)"] = true
            case "query": requestParameters["method.request.querystring.\(name)"] = required
            case "header": requestParameters["method.request.header.\(name)"] = required
            case "body" where specification == .swagger2:
                let schema = try parameter.required("schema")
                let types = try operation.child("consumes")?.stringList() ?? rootConsumes
                if let model = try model(for: schema, generatedName: baseName + "Request", into: &definition) {
                    for type in types.isEmpty ? [Self.defaultMediaType] : types { requestModels[type] = model }
                }
            default:
                // formData and cookie parameters have no REST API counterpart.
                definition.diagnostics.warn("\(location) parameter '\(name)' of \(label) is not supported (line \(parameter.line)). Ignoring.")
            }
        }
        if let body = try operation.child("requestBody") {
            let resolved = try resolve(body)
            for media in try resolved.child("content")?.entries() ?? [] {
                guard let schema = try media.value.child("schema") else { continue }
                if let model = try model(for: schema, generatedName: baseName + "Request", into: &definition) {
                    requestModels[media.key] = model
                }
            }
        }
        if !requestParameters.isEmpty { method.requestParameters = requestParameters }
        if !requestModels.isEmpty { method.requestModels = requestModels }

        if let responses = try operation.child("responses") {
            let produces = try operation.child("produces")?.stringList() ?? rootProduces
            method.methodResponses = try readResponses(
                responses, produces: produces, baseName: baseName, label: label, into: &definition)
        }

        if let security = try operation.child("security") ?? rootSecurity {
            try applySecurity(security, to: &method, label: label, diagnostics: &definition.diagnostics)
        }
        if let auth = try operation.child("x-amazon-apigateway-auth") {
            let typeNode = try auth.required("type")
            let type = try typeNode.string().uppercased()
            guard type == "AWS_IAM" || type == "NONE" else {
                throw typeNode.fail("expected AWS_IAM or NONE; Portico does not support authorizers yet")
            }
            method.authorizationType = type
        }

        var validatorName = defaultValidator
        if let node = try operation.child("x-amazon-apigateway-request-validator") {
            let name = try node.string()
            guard validatorNames.contains(name) else {
                throw node.fail("request validator '\(name)' is not defined in x-amazon-apigateway-request-validators")
            }
            validatorName = name
        }
        if let node = try operation.child("x-amazon-apigateway-integration") {
            method.methodIntegration = try RestIntegrationReader.read(node, label: label, diagnostics: &definition.diagnostics)
        }
        definition.diagnostics.reportFields(
            try operation.entries(), except: Self.operationFields, extensions: .warn("is not supported by Portico for REST APIs. Ignoring."))
        if definition.operations.contains(where: { $0.path == path && $0.method.httpMethod == httpMethod }) {
            throw operation.fail("duplicate method \(label)")
        }
        definition.operations.append(.init(path: path, method: method, validatorName: validatorName))
    }

    /// Responses become method responses: `headers` declare `method.response.header.*` (not
    /// required, as AWS imports them), a schema declares the response model. Keys that are not a
    /// status code have no method response on AWS: `default` is skipped, anything else is a warning.
    private mutating func readResponses(
        _ responses: DefinitionNode, produces: [String], baseName: String, label: String, into definition: inout ImportedRestDefinition
    ) throws(APIError) -> [String: MethodResponse]? {
        var result: [String: MethodResponse] = [:]
        for entry in try responses.entries() {
            guard entry.key.count == 3, let code = Int(entry.key), (100...599).contains(code) else {
                if !entry.key.hasPrefix("x-") && entry.key != "default" {
                    definition.diagnostics.warn(
                        "Response '\(entry.key)' of \(label) is not a status code; REST API method responses need one (line \(entry.keyLine)). Ignoring.")
                }
                continue
            }
            let response = try resolve(entry.value)
            var methodResponse = MethodResponse(statusCode: entry.key)
            var parameters: [String: Bool] = [:]
            for header in try response.child("headers")?.entries() ?? [] {
                parameters["method.response.header.\(header.key)"] = false
            }
            var models: [String: String] = [:]
            let generated = baseName + "Response" + entry.key
            switch specification {
            case .swagger2:
                if let schema = try response.child("schema"), let model = try model(for: schema, generatedName: generated, into: &definition) {
                    for type in produces.isEmpty ? [Self.defaultMediaType] : produces { models[type] = model }
                }
            case .openAPI3:
                for media in try response.child("content")?.entries() ?? [] {
                    guard let schema = try media.value.child("schema") else { continue }
                    if let model = try model(for: schema, generatedName: generated, into: &definition) { models[media.key] = model }
                }
            }
            if !parameters.isEmpty { methodResponse.responseParameters = parameters }
            if !models.isEmpty { methodResponse.responseModels = models }
            result[entry.key] = methodResponse
        }
        return result.isEmpty ? nil : result
    }

    /// AWS: "Model name must be alphanumeric".
    static func isModelNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        (65...90).contains(scalar.value) || (97...122).contains(scalar.value) || (48...57).contains(scalar.value)
    }

    /// The stem of a generated model name: the operation id, or the method and the path's literal
    /// parts, reduced to the alphanumerics AWS allows in model names (`GetPetsPetid`).
    static func modelBaseName(operationName: String?, httpMethod: String, path: String) -> String {
        let source = operationName ?? ([httpMethod.lowercased()] + path.split(separator: "/").map(String.init)).joined(separator: " ")
        var name = ""
        var upperNext = true
        for scalar in source.unicodeScalars {
            guard isModelNameScalar(scalar) else {
                upperNext = true
                continue
            }
            name += upperNext ? String(scalar).uppercased() : String(scalar)
            upperNext = false
        }
        return name.isEmpty ? "Model" : name
    }
}
