/// Reads an operation's `x-amazon-apigateway-integration` object into an ``Integration`` (without an id).
///
/// Property names are AWS's (`type`, `httpMethod`, `uri`, `credentials`, `payloadFormatVersion`, ...);
/// values are stored as `GetIntegration` returns them: the type upper-cased, and AWS's defaults
/// filled in (`connectionType` INTERNET, `timeoutInMillis` 30000), so that an exported definition,
/// which leaves defaults out, imports back to equal integrations.
enum IntegrationReader {
    static let componentsPrefix = "#/components/x-amazon-apigateway-integrations/"
    /// HTTP APIs accept integration timeouts from 50 ms to 30 seconds.
    static let timeoutRange = 50...Integration.defaultTimeoutMillis

    /// The integration, or `nil` when AWS would skip it with a warning (a missing or non-proxy type).
    static func read(
        _ node: DefinitionNode, routeKey: String, components: [String: DefinitionNode], diagnostics: inout ImportDiagnostics
    ) throws(APIError) -> Integration? {
        let definition = try resolve(node, components: components)

        guard let typeNode = try definition.child("type") else {
            diagnostics.warn("Unknown integration type 'null' for '\(routeKey)' (line \(definition.line)). Ignoring.")
            return nil
        }
        let typeText = try typeNode.string()
        let type = typeText.uppercased()
        switch type {
        case "AWS_PROXY", "HTTP_PROXY":
            break
        case "AWS", "HTTP", "MOCK":
            // AWS: "HTTP APIs support only Lambda proxy and HTTP proxy integrations" -- a warning, and
            // the route is created without an integration.
            diagnostics.warn(
                "Unsupported integration type '\(type)' for '\(routeKey)' (line \(typeNode.line)). HTTP APIs support only AWS_PROXY and HTTP_PROXY integrations. Ignoring."
            )
            return nil
        default:
            throw typeNode.fail("unknown integration type '\(typeText)'; HTTP APIs support aws_proxy and http_proxy integrations")
        }

        var integration = Integration(integrationId: "", integrationType: type)
        var uriNode: DefinitionNode?
        var formatNode: DefinitionNode?
        var subtypeNode: DefinitionNode?
        for entry in try definition.entries() where !entry.value.isNull {
            let value = entry.value
            switch entry.key {
            case "type", "$ref":
                continue
            case "httpMethod": integration.integrationMethod = try value.string().uppercased()
            case "uri":
                integration.integrationUri = try value.string()
                uriNode = value
            case "payloadFormatVersion":
                integration.payloadFormatVersion = try value.string()
                formatNode = value
            case "connectionType":
                let connectionType = try value.string().uppercased()
                guard connectionType == "INTERNET" || connectionType == "VPC_LINK" else {
                    throw value.fail("expected INTERNET or VPC_LINK")
                }
                integration.connectionType = connectionType
            case "connectionId": integration.connectionId = try value.string()
            case "credentials": integration.credentialsArn = try value.string()
            case "integrationSubtype":
                integration.integrationSubtype = try value.string()
                subtypeNode = value
            case "timeoutInMillis": integration.timeoutInMillis = try value.integer(in: timeoutRange)
            case "requestParameters": integration.requestParameters = try value.stringMap()
            case "responseParameters": integration.responseParameters = try readResponseParameters(value)
            case "tlsConfig": integration.tlsConfig = try readTLSConfig(value, diagnostics: &diagnostics)
            case "passthroughBehavior", "requestTemplates", "responses", "cacheKeyParameters", "cacheNamespace", "contentHandling":
                // Valid for REST APIs; HTTP APIs have no mapping templates or integration responses.
                diagnostics.inform("\(value.path) (line \(entry.keyLine)) is supported only for REST APIs. Ignoring.")
            default:
                diagnostics.warn("Parse issue: attribute \(value.path) is unexpected (line \(entry.keyLine))")
            }
        }
        try complete(&integration, definition: definition, uriNode: uriNode, formatNode: formatNode, subtypeNode: subtypeNode)
        return integration
    }

    /// Follows `{"$ref": "#/components/x-amazon-apigateway-integrations/name"}`, the HTTP API way of
    /// sharing one integration between routes.
    private static func resolve(_ node: DefinitionNode, components: [String: DefinitionNode]) throws(APIError) -> DefinitionNode {
        guard let refNode = try node.child("$ref") else { return node }
        let reference = try refNode.string()
        guard reference.hasPrefix(componentsPrefix) else {
            throw refNode.fail("only references to \(componentsPrefix){name} are supported")
        }
        let name = String(reference.dropFirst(componentsPrefix.count))
        guard let target = components[name] else {
            throw refNode.fail("reference '\(reference)' does not resolve: components.x-amazon-apigateway-integrations has no '\(name)'")
        }
        if try target.child("$ref") != nil {
            throw target.fail("an integration in components.x-amazon-apigateway-integrations cannot itself be a reference")
        }
        return target
    }

    /// Checks the combination of properties and fills in AWS's defaults.
    private static func complete(
        _ integration: inout Integration, definition: DefinitionNode,
        uriNode: DefinitionNode?, formatNode: DefinitionNode?, subtypeNode: DefinitionNode?
    ) throws(APIError) {
        let isLambdaProxy = integration.integrationType == "AWS_PROXY"
        let connectionType = integration.connectionType ?? "INTERNET"
        integration.connectionType = connectionType

        if let subtypeNode, !isLambdaProxy {
            throw subtypeNode.fail("integrationSubtype is supported only for AWS_PROXY integrations (AWS service integrations)")
        }
        if connectionType == "VPC_LINK" {
            guard !isLambdaProxy else {
                throw definition.fail("VPC_LINK connections are supported only for HTTP_PROXY integrations (private integrations)")
            }
            guard integration.connectionId != nil else {
                throw .invalidOpenAPI(
                    definition.childPath("connectionId"), line: definition.line,
                    "attribute \(definition.childPath("connectionId")) is missing; a VPC_LINK integration needs the id of its VPC link")
            }
        }

        // The URI: an HTTP(S) URL for HTTP_PROXY on the internet, a Lambda ARN for AWS_PROXY, a load
        // balancer listener or Cloud Map ARN through a VPC link; AWS service integrations name their
        // target with integrationSubtype and requestParameters instead.
        if integration.integrationSubtype == nil {
            guard let uri = integration.integrationUri, let uriNode else {
                throw .invalidOpenAPI(
                    definition.childPath("uri"), line: definition.line,
                    "attribute \(definition.childPath("uri")) is missing; \(integration.integrationType) integrations need a uri")
            }
            let lowered = uri.lowercased()
            if isLambdaProxy, !lowered.hasPrefix("arn:") {
                throw uriNode.fail("Invalid integration URI specified: an AWS_PROXY integration needs a Lambda function ARN")
            }
            if !isLambdaProxy, connectionType == "INTERNET", !(lowered.hasPrefix("http://") || lowered.hasPrefix("https://")) {
                throw uriNode.fail("Invalid HTTP endpoint specified for URI")
            }
        }

        // Payload format: 1.0 or 2.0 for Lambda proxy integrations, only 1.0 for every other kind.
        let format = integration.payloadFormatVersion ?? "1.0"
        let onlyVersionOne = !isLambdaProxy || integration.integrationSubtype != nil
        if let formatNode {
            if format != "1.0" && format != "2.0" {
                throw formatNode.fail("expected payload format version \"1.0\" or \"2.0\", found '\(format)'")
            }
            if onlyVersionOne && format != "1.0" {
                throw formatNode.fail("only payload format version \"1.0\" is supported for this kind of integration")
            }
        }
        integration.payloadFormatVersion = format

        // A Lambda function is invoked with POST; an HTTP proxy forwards any method unless told otherwise.
        if integration.integrationMethod == nil, integration.integrationSubtype == nil {
            integration.integrationMethod = isLambdaProxy ? "POST" : "ANY"
        }
        if integration.timeoutInMillis == nil { integration.timeoutInMillis = Integration.defaultTimeoutMillis }
    }

    /// HTTP API response parameter mappings: status code (200-599) to a map of mappings.
    private static func readResponseParameters(_ node: DefinitionNode) throws(APIError) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for entry in try node.entries() {
            guard let code = Int(entry.key), (200...599).contains(code) else {
                throw .invalidOpenAPI(entry.value.path, line: entry.keyLine, "expected a status code between 200 and 599 as the key")
            }
            result[entry.key] = try entry.value.stringMap()
        }
        return result
    }

    private static func readTLSConfig(_ node: DefinitionNode, diagnostics: inout ImportDiagnostics) throws(APIError) -> TLSConfig? {
        var config = TLSConfig()
        for entry in try node.entries() where !entry.value.isNull {
            switch entry.key {
            case "serverNameToVerify": config.serverNameToVerify = try entry.value.string()
            case "insecureSkipVerification":
                diagnostics.inform("\(entry.value.path) (line \(entry.keyLine)) is supported only for REST APIs. Ignoring.")
            default:
                diagnostics.warn("Parse issue: attribute \(entry.value.path) is unexpected (line \(entry.keyLine))")
            }
        }
        return config.serverNameToVerify == nil ? nil : config
    }
}
