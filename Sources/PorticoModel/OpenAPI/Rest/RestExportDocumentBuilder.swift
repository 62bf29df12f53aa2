import Foundation

/// Builds the OpenAPI 3.0.1 or Swagger 2.0 definition of a deployed REST API in the shape AWS's
/// GetExport gives it (AWS developer guide, "Export a REST API from API Gateway").
struct RestExportDocumentBuilder {
    var restApi: RestApi
    var snapshot: RestDeploymentSnapshot
    var stageName: String
    var version: String
    var type: RestApiExporter.ExportType
    var extensions: RestApiExporter.Extensions
    /// `https://{restApiId}.execute-api.{region}.amazonaws.com` or Portico's equivalent.
    var endpointURL: String

    /// Path item fields in the order AWS's exporter (swagger-core) writes them.
    private static let methodOrder = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH"]

    private var isSwagger: Bool { type == .swagger }
    private var modelPrefix: String { isSwagger ? "#/definitions/" : "#/components/schemas/" }
    private var includesSettings: Bool { extensions.contains(.apigateway) }

    func build() -> ExportValue {
        var usesApiKey = false
        var usesSigv4 = false
        for resource in snapshot.resources {
            for method in (resource.resourceMethods ?? [:]).values {
                usesApiKey = usesApiKey || method.apiKeyRequired
                usesSigv4 = usesSigv4 || method.authorizationType == "AWS_IAM"
            }
        }
        var securitySchemes: [(String, ExportValue?)] = []
        if usesApiKey {
            securitySchemes.append(("api_key", .object([("type", .string("apiKey")), ("name", .string("x-api-key")), ("in", .string("header"))])))
        }
        if usesSigv4 {
            securitySchemes.append(
                ("sigv4", .object([
                    ("type", .string("apiKey")), ("name", .string("Authorization")), ("in", .string("header")),
                    ("x-amazon-apigateway-authtype", .string("awsSigv4")),
                ])))
        }
        securitySchemes += authorizerSchemes()
        let security: ExportValue? = securitySchemes.isEmpty ? nil : .object(securitySchemes)
        let models = definitions()
        var members: [(String, ExportValue?)]
        var base = endpointURL
        while base.hasSuffix("/") { base.removeLast() }
        if isSwagger {
            let host = base.range(of: "://").map { String(base[$0.upperBound...]) } ?? base
            members = [
                ("swagger", .string("2.0")),
                ("info", info()),
                ("host", .string(host)),
                ("basePath", .string("/" + stageName)),
                ("schemes", .array([.string(base.hasPrefix("http://") ? "http" : "https")])),
                ("paths", paths()),
                ("securityDefinitions", security),
                ("definitions", models),
            ]
        } else {
            // AWS writes the stage as the default of a `basePath` variable (LocalStack's
            // test_export_oas30_openapi snapshot, recorded against AWS).
            let server = ExportValue.object([
                ("url", .string(base + "/{basePath}")),
                ("variables", .object([("basePath", .object([("default", .string(stageName))]))])),
            ])
            let components: ExportValue? = models == nil && security == nil ? nil : .object([("schemas", models), ("securitySchemes", security)])
            members = [
                ("openapi", .string("3.0.1")),
                ("info", info()),
                ("servers", .array([server])),
                ("paths", paths()),
                ("components", components),
            ]
        }
        members += settingsExtensions()
        return .object(members)
    }

    /// `info` in AWS's member order, which differs between the two export types (recorded).
    private func info() -> ExportValue {
        let title: (String, ExportValue?) = ("title", .string(restApi.name))
        let description: (String, ExportValue?) = ("description", restApi.description.map(ExportValue.string))
        let version: (String, ExportValue?) = ("version", .string(version))
        return .object(isSwagger ? [description, version, title] : [title, description, version])
    }

    /// The API-level extensions: validators with `validators`, the rest only with `apigateway`.
    private func settingsExtensions() -> [(String, ExportValue?)] {
        var members: [(String, ExportValue?)] = []
        if extensions.contains(.validators), !snapshot.requestValidators.isEmpty {
            members.append(
                ("x-amazon-apigateway-request-validators", .object(
                    snapshot.requestValidators.compactMap { validator -> ExportValue.Member? in
                        guard let name = validator.name else { return nil }
                        return ExportValue.Member(
                            key: name,
                            value: .object([
                                ("validateRequestParameters", .boolean(validator.validateRequestParameters)),
                                ("validateRequestBody", .boolean(validator.validateRequestBody)),
                            ]))
                    })))
        }
        guard includesSettings else { return members }
        if !snapshot.gatewayResponses.isEmpty {
            members.append(
                ("x-amazon-apigateway-gateway-responses", .object(
                    snapshot.gatewayResponses.map { response in
                        ExportValue.Member(
                            key: response.responseType.rawValue,
                            value: .object([
                                ("statusCode", response.statusCode.flatMap { Int($0) }.map(ExportValue.integer)),
                                ("responseParameters", response.responseParameters.isEmpty ? nil : .sortedObject(response.responseParameters)),
                                ("responseTemplates", response.responseTemplates.isEmpty ? nil : .sortedObject(response.responseTemplates)),
                            ]))
                    })))
        }
        members.append(("x-amazon-apigateway-binary-media-types", snapshot.binaryMediaTypes.isEmpty ? nil : ExportValue.strings(snapshot.binaryMediaTypes)))
        members.append(("x-amazon-apigateway-api-key-source", snapshot.apiKeySource == "HEADER" ? nil : .string(snapshot.apiKeySource)))
        members.append(("x-amazon-apigateway-minimum-compression-size", snapshot.minimumCompressionSize.map(ExportValue.integer)))
        if let policy = snapshot.policy {
            let value = try? DefinitionText.parse(policy).exportValue(rewritingReferences: { $0 })
            members.append(("x-amazon-apigateway-policy", value ?? .string(policy)))
        }
        return members
    }

    // MARK: Models

    /// Every model, its schema with AWS's model URLs turned back into local references and the
    /// `$schema` member left out, as AWS exports them.
    private func definitions() -> ExportValue? {
        guard !snapshot.models.isEmpty else { return nil }
        let prefix = modelPrefix
        return .object(
            // In the API's order (AWS exports the models in the order the definition gave them).
            snapshot.models.map { model -> ExportValue.Member in
                var value = ExportValue.object([("type", .string("object"))])
                if let schema = model.schema,
                    let parsed = try? DefinitionText.parse(schema).exportValue(rewritingReferences: { reference in
                        Self.localReference(reference, prefix: prefix)
                    })
                {
                    value = parsed
                }
                if case .object(let members) = value { value = .object(members.filter { $0.key != "$schema" }) }
                return ExportValue.Member(key: model.name, value: value)
            })
    }

    /// `https://apigateway.amazonaws.com/restapis/{id}/models/{name}` → `{prefix}{name}`.
    static func localReference(_ reference: String, prefix: String) -> String {
        guard reference.hasPrefix(RestDefinitionReader.modelURLPrefix), let range = reference.range(of: "/models/") else { return reference }
        return prefix + reference[range.upperBound...]
    }

    private func modelReference(_ name: String) -> ExportValue {
        .object([("$ref", .string(modelPrefix + name))])
    }

    // MARK: Paths

    private func paths() -> ExportValue {
        .object(
            snapshot.resources.sorted { $0.path < $1.path }.compactMap { resource -> ExportValue.Member? in
                guard let methods = resource.resourceMethods, !methods.isEmpty else { return nil }
                var members: [(String, ExportValue?)] = Self.methodOrder.map { name in
                    (name.lowercased(), methods[name].map { operation($0, resource: resource) })
                }
                members.append(("x-amazon-apigateway-any-method", methods["ANY"].map { operation($0, resource: resource) }))
                return ExportValue.Member(key: resource.path, value: .object(members))
            })
    }

    private func operation(_ method: RestMethod, resource: RestResource) -> ExportValue {
        var parameters: [ExportValue] = []
        for (name, required) in (method.requestParameters ?? [:]).sorted(by: { $0.key < $1.key }) {
            let parts = name.split(separator: ".", maxSplits: 3).map(String.init)
            guard parts.count == 4 else { continue }
            let location = parts[2] == "querystring" ? "query" : parts[2]
            let type: (String, ExportValue?) = isSwagger ? ("type", .string("string")) : ("schema", .object([("type", .string("string"))]))
            // Swagger always writes `required`; OpenAPI 3.0 only when true (both recorded).
            let isRequired = location == "path" || required
            parameters.append(
                .object([
                    ("name", .string(parts[3])),
                    ("in", .string(location)),
                    ("required", isSwagger || isRequired ? .boolean(isRequired) : nil),
                    type,
                ]))
        }
        let requestModels = (method.requestModels ?? [:]).sorted { $0.key < $1.key }
        var requestBody: ExportValue?
        if let first = requestModels.first {
            if isSwagger {
                parameters.append(
                    .object([
                        ("in", .string("body")), ("name", .string(first.value)), ("required", .boolean(true)),
                        ("schema", modelReference(first.value)),
                    ]))
            } else {
                requestBody = .object([
                    ("content", .object(requestModels.map { ExportValue.Member(key: $0.key, value: .object([("schema", modelReference($0.value))])) })),
                    ("required", .boolean(true)),
                ])
            }
        }
        let responses = (method.methodResponses ?? [:]).values.sorted { $0.statusCode < $1.statusCode }
        // Swagger's `consumes` and `produces` name the request and response models' content types
        // and the integration's request and response templates' (AWS's export of its PetStore
        // example gives the MOCK root method `consumes: application/json`, `produces: text/html`).
        let integrationResponses = (method.methodIntegration?.integrationResponses ?? [:]).values
        let produces = Set(
            responses.flatMap { ($0.responseModels ?? [:]).keys } + integrationResponses.flatMap { ($0.responseTemplates ?? [:]).keys }
        ).sorted()
        let consumes = Set(requestModels.map(\.key) + (method.methodIntegration?.requestTemplates ?? [:]).keys).sorted()
        var security: [ExportValue] = []
        if method.apiKeyRequired { security.append(.object([("api_key", .array([]))])) }
        if method.authorizationType == "AWS_IAM" { security.append(.object([("sigv4", .array([]))])) }
        if method.authorizationType == "CUSTOM" || method.authorizationType == "COGNITO_USER_POOLS",
            let authorizer = method.authorizerId.flatMap({ id in snapshot.authorizers?.first { $0.id == id } })
        {
            security.append(.object([(authorizer.name, .array((method.authorizationScopes ?? []).map(ExportValue.string)))]))
        }
        let validatorName = method.requestValidatorId.flatMap { id in snapshot.requestValidators.first { $0.id == id }?.name }
        return .object([
            ("operationId", method.operationName.map(ExportValue.string)),
            ("consumes", isSwagger && !consumes.isEmpty ? .array(consumes.map(ExportValue.string)) : nil),
            ("produces", isSwagger && !produces.isEmpty ? .array(produces.map(ExportValue.string)) : nil),
            ("parameters", parameters.isEmpty ? nil : .array(parameters)),
            ("requestBody", requestBody),
            ("responses", .object(responses.map { ExportValue.Member(key: $0.statusCode, value: methodResponse($0)) })),
            ("security", security.isEmpty ? nil : .array(security)),
            ("x-amazon-apigateway-request-validator", extensions.contains(.validators) ? validatorName.map(ExportValue.string) : nil),
            ("x-amazon-apigateway-integration", extensions.contains(.integrations) ? method.methodIntegration.map { integration($0, resource: resource) } : nil),
        ])
    }

    private func methodResponse(_ response: MethodResponse) -> ExportValue {
        let headers = (response.responseParameters ?? [:]).keys.sorted().compactMap { name -> ExportValue.Member? in
            let prefix = "method.response.header."
            guard name.hasPrefix(prefix) else { return nil }
            let type = ExportValue.object([("type", .string("string"))])
            return ExportValue.Member(key: String(name.dropFirst(prefix.count)), value: isSwagger ? type : .object([("schema", type)]))
        }
        let models = (response.responseModels ?? [:]).sorted { $0.key < $1.key }
        var schema: ExportValue?
        var content: ExportValue?
        if isSwagger {
            schema = models.first.map { modelReference($0.value) }
        } else if !models.isEmpty {
            content = .object(models.map { ExportValue.Member(key: $0.key, value: .object([("schema", modelReference($0.value))])) })
        }
        return .object([
            ("description", .string("\(response.statusCode) response")),
            ("schema", schema),
            ("headers", headers.isEmpty ? nil : .object(headers)),
            ("content", content),
        ])
    }

    /// An integration as AWS exports it: type and passthrough behaviour in lower case, integration
    /// responses keyed by selection pattern (`default` for none), PutIntegration's defaults left out.
    private func integration(_ integration: RestIntegration, resource: RestResource) -> ExportValue {
        var responses: [ExportValue.Member] = []
        for response in (integration.integrationResponses ?? [:]).values.sorted(by: { $0.statusCode < $1.statusCode }) {
            let key = response.selectionPattern ?? "default"
            guard !responses.contains(where: { $0.key == key }) else { continue }
            // A pass-through (empty) template is written as null, as AWS answers it.
            let templates = response.responseTemplates.map { templates -> ExportValue in
                ExportValue.object(
                    templates.keys.sorted().map { key -> ExportValue.Member in
                        let template = templates[key] ?? ""
                        return ExportValue.Member(key: key, value: template.isEmpty ? ExportValue.null : ExportValue.string(template))
                    })
            }
            responses.append(
                ExportValue.Member(
                    key: key,
                    value: .object([
                        ("statusCode", .string(response.statusCode)),
                        ("responseParameters", response.responseParameters.map(ExportValue.sortedObject)),
                        ("responseTemplates", templates),
                        ("contentHandling", response.contentHandling.map(ExportValue.string)),
                    ])))
        }
        let timeout = integration.timeoutInMillis.flatMap { $0 == RestIntegration.defaultTimeoutMillis ? nil : ExportValue.integer($0) }
        return .object([
            ("type", .string(integration.type.lowercased())),
            ("httpMethod", integration.httpMethod.map(ExportValue.string)),
            ("uri", integration.uri.map(ExportValue.string)),
            // INTERNET is the default, which AWS's exports leave out (recorded).
            ("connectionType", integration.connectionType.flatMap { $0 == "INTERNET" ? nil : ExportValue.string($0) }),
            ("connectionId", integration.connectionId.map(ExportValue.string)),
            ("credentials", integration.credentials.map(ExportValue.string)),
            ("responses", responses.isEmpty ? nil : .object(responses)),
            ("requestParameters", integration.requestParameters.map(ExportValue.sortedObject)),
            ("requestTemplates", integration.requestTemplates.map(ExportValue.sortedObject)),
            ("passthroughBehavior", integration.passthroughBehavior.map { ExportValue.string($0.lowercased()) }),
            ("contentHandling", integration.contentHandling.map(ExportValue.string)),
            ("timeoutInMillis", timeout),
            ("cacheNamespace", integration.cacheNamespace.flatMap { $0 == resource.id ? nil : ExportValue.string($0) }),
            ("cacheKeyParameters", integration.cacheKeyParameters.flatMap { $0.isEmpty ? nil : ExportValue.strings($0) }),
            ("tlsConfig", integration.tlsConfig?.insecureSkipVerification.map { ExportValue.object([("insecureSkipVerification", .boolean($0))]) }),
        ])
    }

    /// One security scheme per authorizer, named after it, as AWS exports them ("x-amazon-apigateway-
    /// authorizer object"): an `apiKey` scheme in the header the TOKEN reads (`Unused` for REQUEST
    /// and Cognito ones), `x-amazon-apigateway-authtype` `custom` or `cognito_user_pools`, and the
    /// authorizer's settings when the `authorizers` extensions are asked for.
    private func authorizerSchemes() -> [(String, ExportValue?)] {
        (snapshot.authorizers ?? []).map { authorizer in
            var header = "Unused"
            if authorizer.type == "TOKEN", case .header(let name)? = RestAuthorizerSource.list(authorizer.identitySource)?.first {
                header = name
            }
            var settings: ExportValue?
            if extensions.contains(.authorizers) {
                settings = .object([
                    ("type", .string(authorizer.type.lowercased())),
                    ("authorizerUri", authorizer.authorizerUri.map(ExportValue.string)),
                    ("authorizerCredentials", authorizer.authorizerCredentials.map(ExportValue.string)),
                    ("identitySource", authorizer.identitySource.map(ExportValue.string)),
                    ("identityValidationExpression", authorizer.identityValidationExpression.map(ExportValue.string)),
                    ("providerARNs", authorizer.providerARNs.map { .array($0.map(ExportValue.string)) }),
                    ("authorizerResultTtlInSeconds", authorizer.authorizerResultTtlInSeconds.map(ExportValue.integer)),
                ])
            }
            return (
                authorizer.name,
                .object([
                    ("type", .string("apiKey")), ("name", .string(header)), ("in", .string("header")),
                    ("x-amazon-apigateway-authtype", .string(authorizer.isLambda ? "custom" : "cognito_user_pools")),
                    ("x-amazon-apigateway-authorizer", settings),
                ])
            )
        }
    }
}
