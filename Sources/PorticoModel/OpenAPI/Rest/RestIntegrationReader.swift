/// Reads a REST API operation's `x-amazon-apigateway-integration` object into a ``RestIntegration``
/// (AWS developer guide, "x-amazon-apigateway-integration object" and
/// "x-amazon-apigateway-integration.responses object").
///
/// Values are stored as `GetIntegration` returns them: type, passthrough behaviour and HTTP method
/// upper-cased (AWS's exports write `"type" : "http"`, `"passthroughBehavior" : "when_no_match"`),
/// and PutIntegration's defaults filled in, so an exported definition imports back to equal integrations.
enum RestIntegrationReader {
    /// AWS's default and, for edge-optimised APIs, maximum integration timeout.
    static let timeoutRange = RestIntegration.minimumTimeoutMillis...RestIntegration.defaultTimeoutMillis

    static func read(_ node: DefinitionNode, label: String, diagnostics: inout ImportDiagnostics) throws(APIError) -> RestIntegration {
        let typeNode = try node.required("type")
        let typeText = try typeNode.string()
        let type = typeText.uppercased()
        guard RestIntegration.types.contains(type) else {
            throw typeNode.fail("unknown integration type '\(typeText)'; expected one of http, http_proxy, aws, aws_proxy, mock")
        }
        var integration = RestIntegration(type: type)
        integration.passthroughBehavior = "WHEN_NO_MATCH"
        integration.timeoutInMillis = RestIntegration.defaultTimeoutMillis
        integration.cacheKeyParameters = []
        var uriNode: DefinitionNode?
        for entry in try node.entries() where !entry.value.isNull {
            let value = entry.value
            switch entry.key {
            case "type":
                continue
            case "httpMethod":
                let method = try value.string().uppercased()
                guard RestMethod.httpMethods.contains(method) else {
                    throw value.fail("expected an HTTP method (\(RestMethod.httpMethods.joined(separator: ", ")))")
                }
                integration.httpMethod = method
            case "uri":
                integration.uri = try value.string()
                uriNode = value
            case "connectionType":
                let connectionType = try value.string().uppercased()
                guard connectionType == "INTERNET" || connectionType == "VPC_LINK" else { throw value.fail("expected INTERNET or VPC_LINK") }
                integration.connectionType = connectionType
            case "connectionId": integration.connectionId = try value.string()
            case "credentials": integration.credentials = try value.string()
            case "requestParameters": integration.requestParameters = try requestParameters(value, label: label, diagnostics: &diagnostics)
            case "requestTemplates": integration.requestTemplates = try templates(value)
            case "passthroughBehavior":
                let behavior = try value.string().uppercased()
                guard RestIntegration.passthroughBehaviors.contains(behavior) else {
                    throw value.fail("expected when_no_match, when_no_templates or never")
                }
                integration.passthroughBehavior = behavior
            case "contentHandling":
                let handling = try value.string().uppercased()
                guard RestIntegration.contentHandlingStrategies.contains(handling) else {
                    throw value.fail("expected CONVERT_TO_BINARY or CONVERT_TO_TEXT")
                }
                integration.contentHandling = handling
            case "timeoutInMillis": integration.timeoutInMillis = try value.integer(in: timeoutRange)
            case "cacheNamespace": integration.cacheNamespace = try value.string()
            case "cacheKeyParameters": integration.cacheKeyParameters = try value.stringList()
            case "responses": integration.integrationResponses = try readResponses(value, diagnostics: &diagnostics)
            case "tlsConfig":
                integration.tlsConfig = RestTLSConfig(insecureSkipVerification: try value.child("insecureSkipVerification")?.boolean())
            case "payloadFormatVersion", "integrationSubtype", "responseParameters":
                // HTTP API members (AWS documents them as "supported only for HTTP APIs").
                diagnostics.warn("\(value.path) (line \(entry.keyLine)) is supported only for HTTP APIs. Ignoring.")
            default:
                diagnostics.unexpected(entry)
            }
        }
        try check(integration, node: node, uriNode: uriNode)
        // AWS's GetIntegration shows `connectionType: INTERNET` for imported HTTP integrations (not for
        // MOCK or AWS_PROXY ones; LocalStack's test_import_swagger_api snapshot, recorded against AWS).
        if integration.type.hasPrefix("HTTP"), integration.connectionType == nil { integration.connectionType = "INTERNET" }
        return integration
    }

    /// PutIntegration's rules (as `RestIntegrationValidation` applies them), with the field and line.
    private static func check(_ integration: RestIntegration, node: DefinitionNode, uriNode: DefinitionNode?) throws(APIError) {
        guard integration.type != "MOCK" else { return }
        guard integration.httpMethod != nil else {
            throw .invalidOpenAPI(
                node.childPath("httpMethod"), line: node.line, "attribute \(node.childPath("httpMethod")) is missing; \(integration.type) integrations need one")
        }
        guard let uri = integration.uri, let uriNode else {
            throw .invalidOpenAPI(
                node.childPath("uri"), line: node.line, "attribute \(node.childPath("uri")) is missing; \(integration.type) integrations need one")
        }
        if integration.type.hasPrefix("HTTP"), integration.connectionType != "VPC_LINK",
            !(uri.hasPrefix("http://") || uri.hasPrefix("https://"))
        {
            throw uriNode.fail("Invalid HTTP endpoint specified for URI")
        }
    }

    /// `responses`: selection pattern → integration response; the key `default` is the response
    /// without a pattern (AWS: "default" matches when no other pattern does).
    private static func readResponses(_ node: DefinitionNode, diagnostics: inout ImportDiagnostics) throws(APIError) -> [String: IntegrationResponse] {
        var result: [String: IntegrationResponse] = [:]
        for entry in try node.entries() {
            let statusNode = try entry.value.required("statusCode")
            let statusCode = String(try statusNode.integer(in: 100...599))
            if result[statusCode] != nil {
                throw statusNode.fail("two integration responses have status code \(statusCode); REST APIs key integration responses by status")
            }
            var response = IntegrationResponse(statusCode: statusCode)
            if entry.key != "default" { response.selectionPattern = entry.key }
            for field in try entry.value.entries() where !field.value.isNull {
                switch field.key {
                case "statusCode": continue
                case "responseParameters": response.responseParameters = try field.value.stringMap()
                case "responseTemplates": response.responseTemplates = try templates(field.value)
                case "contentHandling":
                    let handling = try field.value.string().uppercased()
                    guard RestIntegration.contentHandlingStrategies.contains(handling) else {
                        throw field.value.fail("expected CONVERT_TO_BINARY or CONVERT_TO_TEXT")
                    }
                    response.contentHandling = handling
                default:
                    diagnostics.unexpected(field)
                }
            }
            result[statusCode] = response
        }
        return result
    }

    /// Mapping expressions must be strings: AWS skips another value with a warning worded as here
    /// (LocalStack's test_import_rest_api_with_base_path_oas30 snapshot, recorded against AWS).
    private static func requestParameters(_ node: DefinitionNode, label: String, diagnostics: inout ImportDiagnostics) throws(APIError) -> [String: String] {
        var result: [String: String] = [:]
        let parts = label.split(separator: " ", maxSplits: 1)
        for entry in try node.entries() {
            guard entry.value.isString else {
                let found = entry.value.scalarText ?? entry.value.kindDescription
                diagnostics.warn(
                    "Invalid format for 'requestParameters'. Expected type string for property '\(entry.key)' of resource '\(parts.last ?? "")' and method '\(parts.first ?? "")' but got '\(found)'"
                )
                continue
            }
            result[entry.key] = try entry.value.string()
        }
        return result
    }

    /// Content type → template; a `null` template passes the body through (stored as `""`).
    private static func templates(_ node: DefinitionNode) throws(APIError) -> [String: String] {
        var result: [String: String] = [:]
        for entry in try node.entries() {
            result[entry.key] = entry.value.isNull ? "" : try entry.value.string()
        }
        return result
    }
}
