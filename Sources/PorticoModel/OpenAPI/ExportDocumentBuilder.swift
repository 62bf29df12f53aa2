import Foundation

/// Builds the OpenAPI 3.0.1 definition of an HTTP API in the shape AWS's ExportApi gives it.
struct ExportDocumentBuilder {
    var api: Api
    var routes: [Route]
    var integrations: [String: Integration]
    var stageName: String?
    var includeExtensions: Bool
    var serverURL: String?
    var authorizers: [Authorizer] = []

    static let anyMethodKey = "x-amazon-apigateway-any-method"
    /// Path item fields in the order AWS's exporter (swagger-core) writes them.
    private static let methodOrder = ["get", "put", "post", "delete", "options", "head", "patch"]

    func build() -> ExportValue {
        .object([
            ("openapi", .string("3.0.1")),
            ("info", info()),
            ("servers", servers()),
            ("tags", tags()),
            ("paths", paths()),
            ("components", securitySchemes().map { .object([("securitySchemes", $0)]) }),
            ("x-amazon-apigateway-cors", includeExtensions ? api.corsConfiguration.map(Self.cors) : nil),
            ("x-amazon-apigateway-importexport-version", includeExtensions ? .string("1.0") : nil),
        ])
    }

    private func info() -> ExportValue {
        .object([
            ("title", .string(api.name)),
            ("description", api.description.map(ExportValue.string)),
            ("version", .string(api.version ?? Self.timestampVersion(api.createdDate ?? Date()))),
        ])
    }

    /// AWS puts a timestamp in `info.version` when the API has no version: `2023-07-01 01:24:55UTC`.
    /// Portico keeps no last-modified date on an API, so the creation date is used, which keeps
    /// repeated exports identical.
    static func timestampVersion(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss'UTC'"
        return formatter.string(from: date)
    }

    /// One server: the API's endpoint followed by a `basePath` variable whose default is the stage
    /// exported (empty for the `$default` stage or the latest configuration), as AWS writes it.
    private func servers() -> ExportValue {
        var base = serverURL ?? ""
        while base.hasSuffix("/") { base.removeLast() }
        let basePath = stageName.flatMap { $0 == Stage.defaultStageName ? nil : $0 } ?? ""
        var endpoint: ExportValue?
        if includeExtensions, api.disableExecuteApiEndpoint == true || (api.ipAddressType.map { $0 != "ipv4" } ?? false) {
            endpoint = .object([
                ("disableExecuteApiEndpoint", api.disableExecuteApiEndpoint == true ? .boolean(true) : nil),
                ("ipAddressType", api.ipAddressType.flatMap { $0 == "ipv4" ? nil : .string($0) }),
            ])
        }
        return .array([
            .object([
                ("url", .string(base + "/{basePath}")),
                ("variables", .object([("basePath", .object([("default", .string(basePath))]))])),
                ("x-amazon-apigateway-endpoint-configuration", endpoint),
            ])
        ])
    }

    private func tags() -> ExportValue? {
        guard let tags = api.tags, !tags.isEmpty else { return nil }
        return .array(
            tags.keys.sorted().map { key in
                .object([
                    ("name", .string(key)),
                    ("x-amazon-apigateway-tag-value", includeExtensions ? tags[key].map(ExportValue.string) : nil),
                ])
            })
    }

    // MARK: Paths

    private struct PathItem {
        var operations: [String: ExportValue] = [:]
        var variables: [String] = []
    }

    private func paths() -> ExportValue {
        var items: [String: PathItem] = [:]
        for route in routes {
            guard let key = try? RouteKey(parsing: route.routeKey) else { continue }
            let path = key.isDefault ? "/$default" : key.path
            // ANY and $default exist only through the x-amazon-apigateway-any-method extension.
            let method = key.isDefault || key.method == nil ? Self.anyMethodKey : (key.method ?? "").lowercased()
            if method == Self.anyMethodKey && !includeExtensions { continue }
            var item = items[path] ?? PathItem()
            item.operations[method] = operation(for: route, isDefault: key.isDefault)
            if !key.isDefault {
                item.variables = key.segments.compactMap { segment in
                    switch segment {
                    case .literal: nil
                    case .variable(let name): name
                    case .greedy(let name): name + "+"
                    }
                }
            }
            items[path] = item
        }
        return .object(
            items.keys.sorted().compactMap { path in
                guard let item = items[path] else { return nil }
                return ExportValue.Member(key: path, value: pathItem(item))
            })
    }

    private func pathItem(_ item: PathItem) -> ExportValue {
        var members: [(String, ExportValue?)] = Self.methodOrder.map { ($0, item.operations[$0]) }
        if !item.variables.isEmpty {
            members.append(("parameters", .array(item.variables.map(Self.pathParameter))))
        }
        members.append((Self.anyMethodKey, item.operations[Self.anyMethodKey]))
        return .object(members)
    }

    /// AWS generates a required string parameter for every path variable (`proxy+` for a greedy one).
    private static func pathParameter(_ name: String) -> ExportValue {
        .object([
            ("name", .string(name)),
            ("in", .string("path")),
            ("description", .string("Generated path parameter for \(name)")),
            ("required", .boolean(true)),
            ("schema", .object([("type", .string("string"))])),
        ])
    }

    private func operation(for route: Route, isDefault: Bool) -> ExportValue {
        let integration = includeExtensions ? route.targetIntegrationId.flatMap { integrations[$0] } : nil
        return .object([
            ("isDefaultRoute", isDefault ? .boolean(true) : nil),
            ("operationId", route.operationName.map(ExportValue.string)),
            ("responses", .object([("default", .object([("description", .string("Default response for \(route.routeKey)"))]))])),
            ("security", security(for: route)),
            ("x-amazon-apigateway-integration", integration.map(Self.integration)),
        ])
    }

    /// `[{name: []}]` for a route a Lambda authorizer protects (with the extensions only: the scheme
    /// means nothing without its `x-amazon-apigateway-authorizer`).
    private func security(for route: Route) -> ExportValue? {
        if includeExtensions, route.authorizationType == "AWS_IAM" {
            // An IAM route names the shared `sigv4` scheme (AWS: "x-amazon-apigateway-authtype property").
            return .array([.object([(Self.iamSchemeName, .array([]))])])
        }
        guard includeExtensions, route.authorizationType == "CUSTOM" || route.authorizationType == "JWT",
            let authorizer = route.authorizerId.flatMap({ id in authorizers.first { $0.authorizerId == id } })
        else {
            return nil
        }
        let scopes = route.authorizationType == "JWT" ? route.authorizationScopes ?? [] : []
        return .array([.object([(authorizer.name, .array(scopes.map(ExportValue.string)))])])
    }

    /// The Lambda authorizers as `apiKey` security schemes with their `x-amazon-apigateway-authorizer`
    /// (AWS: "x-amazon-apigateway-authorizer object"; `identitySource` as a comma-separated string).
    static let iamSchemeName = "sigv4"

    private func securitySchemes() -> ExportValue? {
        var schemes: [(String, ExportValue?)] = []
        if includeExtensions, routes.contains(where: { $0.authorizationType == "AWS_IAM" }) {
            schemes.append((
                Self.iamSchemeName,
                .object([
                    ("type", .string("apiKey")), ("name", .string("Authorization")), ("in", .string("header")),
                    ("x-amazon-apigateway-authtype", .string("awsSigv4")),
                ])
            ))
        }
        guard includeExtensions, !authorizers.isEmpty else { return schemes.isEmpty ? nil : .object(schemes) }
        return .object(
            schemes + authorizers.map { authorizer in
                if authorizer.authorizerType == "JWT" {
                    // AWS exports a JWT authorizer as an `oauth2` scheme.
                    let configuration = authorizer.jwtConfiguration
                    let settings = ExportValue.object([
                        ("identitySource", authorizer.identitySource.map { .string($0.joined(separator: ", ")) }),
                        ("jwtConfiguration", .object([
                            ("audience", configuration?.audience.map { .array($0.map(ExportValue.string)) }),
                            ("issuer", configuration?.issuer.map(ExportValue.string)),
                        ])),
                        ("type", .string("jwt")),
                    ])
                    return (
                        authorizer.name,
                        .object([("type", .string("oauth2")), ("flows", .object([ExportValue.Member]())), ("x-amazon-apigateway-authorizer", settings)])
                    )
                }
                let settings = ExportValue.object([
                    ("type", .string(authorizer.authorizerType.lowercased())),
                    ("authorizerUri", authorizer.authorizerUri.map(ExportValue.string)),
                    ("authorizerCredentials", authorizer.authorizerCredentialsArn.map(ExportValue.string)),
                    ("authorizerPayloadFormatVersion", authorizer.authorizerPayloadFormatVersion.map(ExportValue.string)),
                    ("enableSimpleResponses", authorizer.enableSimpleResponses.map(ExportValue.boolean)),
                    ("identitySource", authorizer.identitySource.map { .string($0.joined(separator: ", ")) }),
                    ("authorizerResultTtlInSeconds", authorizer.authorizerResultTtlInSeconds.map(ExportValue.integer)),
                ])
                return (
                    authorizer.name,
                    .object([
                        ("type", .string("apiKey")), ("name", .string("Unused")), ("in", .string("header")),
                        ("x-amazon-apigateway-authorizer", settings),
                    ])
                )
            })
    }

    /// An integration as AWS exports it: the type in lower case, AWS's defaults (a 30-second timeout)
    /// left out, the connection type always written.
    private static func integration(_ integration: Integration) -> ExportValue {
        let responseParameters = integration.responseParameters.map { parameters in
            ExportValue.object(
                parameters.keys.sorted().compactMap { code in
                    parameters[code].map { ExportValue.Member(key: code, value: .sortedObject($0)) }
                })
        }
        let timeout = integration.timeoutInMillis.flatMap { $0 == Integration.defaultTimeoutMillis ? nil : ExportValue.integer($0) }
        return .object([
            ("responseParameters", responseParameters),
            ("requestParameters", integration.requestParameters.map(ExportValue.sortedObject)),
            ("payloadFormatVersion", integration.payloadFormatVersion.map(ExportValue.string)),
            ("integrationSubtype", integration.integrationSubtype.map(ExportValue.string)),
            ("connectionId", integration.connectionId.map(ExportValue.string)),
            ("credentials", integration.credentialsArn.map(ExportValue.string)),
            ("type", .string(integration.integrationType.lowercased())),
            ("httpMethod", integration.integrationMethod.map(ExportValue.string)),
            ("uri", integration.integrationUri.map(ExportValue.string)),
            ("connectionType", .string(integration.connectionType ?? "INTERNET")),
            ("timeoutInMillis", timeout),
            ("tlsConfig", integration.tlsConfig?.serverNameToVerify.map { .object([("serverNameToVerify", .string($0))]) }),
        ])
    }

    /// `x-amazon-apigateway-cors` in AWS's member order, with only the settings the API has.
    private static func cors(_ cors: CorsConfiguration) -> ExportValue {
        .object([
            ("allowMethods", ExportValue.strings(cors.allowMethods)),
            ("allowHeaders", ExportValue.strings(cors.allowHeaders)),
            ("exposeHeaders", ExportValue.strings(cors.exposeHeaders)),
            ("maxAge", cors.maxAge.map(ExportValue.integer)),
            ("allowCredentials", cors.allowCredentials.map(ExportValue.boolean)),
            ("allowOrigins", ExportValue.strings(cors.allowOrigins)),
        ])
    }
}
