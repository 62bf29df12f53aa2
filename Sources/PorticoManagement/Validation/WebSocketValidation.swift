import Foundation
import PorticoModel

/// The rules `apigatewayv2` applies to WebSocket APIs, where they differ from HTTP APIs
/// (AWS developer guide, "Create routes for WebSocket APIs", "WebSocket selection expressions",
/// "Set up a WebSocket API integration response"; API reference for Api, Route, Integration).
/// Wording marked "Portico" is ours where AWS's is not recorded.
enum WebSocketValidation {
    /// AWS: "Currently, two supported values are `$request.header.x-api-key` and
    /// `$context.authorizer.usageIdentifierKey`."
    static let apiKeySelectionExpressions: Set<String> = ["$request.header.x-api-key", "$context.authorizer.usageIdentifierKey"]
    static let reservedRouteKeys: Set<String> = ["$connect", "$disconnect", "$default"]
    /// WebSocket integration timeout: "50 milliseconds to 29 seconds" (AWS quotas), not raisable.
    static let maxTimeoutMillis = 29_000
    static let integrationTypes = ["AWS", "HTTP", "MOCK", "HTTP_PROXY", "AWS_PROXY"]

    // MARK: APIs

    /// The members CreateApi and UpdateApi take for a WebSocket API. `creating`: the
    /// route selection expression is required ("This property is required for WebSocket APIs").
    static func applyApiMembers(_ body: JSONBody, to api: inout Api, creating: Bool) throws(APIError) {
        for member in ["corsConfiguration", "target", "routeKey", "credentialsArn"] where body.has(member) {
            // AWS documents CORS and quick create as "Supported only for HTTP APIs".
            throw .badRequest("\(member) is supported only for HTTP APIs.")
        }
        if let value = try body.string("routeSelectionExpression") {
            try validateRouteSelectionExpression(value)
            api.routeSelectionExpression = value
        } else if creating {
            throw .badRequest("RouteSelectionExpression is required for WEBSOCKET APIs.")
        }
        if let value = try body.string("apiKeySelectionExpression") {
            guard apiKeySelectionExpressions.contains(value) else {
                throw .badRequest(
                    "Invalid apiKeySelectionExpression '\(value)': supported values are $request.header.x-api-key and $context.authorizer.usageIdentifierKey.")
            }
            api.apiKeySelectionExpression = value
        }
        if let value = try body.string("description", length: 0...1024) { api.description = value }
        if let value = try body.bool("disableSchemaValidation") { api.disableSchemaValidation = value }
        if let value = try body.bool("disableExecuteApiEndpoint") { api.disableExecuteApiEndpoint = value }
        if let value = try body.enumeration("ipAddressType", ["ipv4", "dualstack"]) { api.ipAddressType = value }
        if let value = try body.string("version", length: 1...64) { api.version = value }
    }

    static func validateRouteSelectionExpression(_ value: String) throws(APIError) {
        let expression: SelectionExpression
        do {
            expression = try SelectionExpression(parsing: value)
        } catch {
            throw .badRequest("Invalid routeSelectionExpression '\(value)': \(error.reason).")
        }
        // A constant expression would send every message to one key; AWS's form is
        // `$request.body.{path}` ("For WebSocket-based APIs, the expression should be of the form ...").
        guard expression.constant == nil else {
            throw .badRequest("Invalid routeSelectionExpression '\(value)': it must refer to the message, e.g. $request.body.action.")
        }
    }

    // MARK: routes

    /// `$connect`, `$disconnect`, `$default` or a custom key. Portico refuses other keys starting
    /// with `$` (they are reserved; guessed, AWS's answer is not recorded) and keys longer than 128.
    static func validateRouteKey(_ key: String) throws(APIError) {
        guard !key.isEmpty, key.count <= 128 else {
            throw .badRequest("Invalid route key '\(key)': it must be 1 to 128 characters long.")
        }
        if key.hasPrefix("$"), !reservedRouteKeys.contains(key) {
            throw .badRequest("Invalid route key '\(key)': keys starting with $ are reserved ($connect, $disconnect, $default).")
        }
    }

    /// Checks that need the whole route: authorization only on `$connect` (AWS: "Currently,
    /// authorization is restricted to the $connect route only"), no JWT authorizers.
    static func validate(_ route: Route) throws(APIError) {
        let type = route.authorizationType ?? "NONE"
        if type == "JWT" {
            throw .badRequest("JWT authorizers are supported only for HTTP APIs.")
        }
        if type != "NONE", route.routeKey != "$connect" {
            throw .badRequest("Currently, authorization is restricted to the $connect route only")
        }
        if let expression = route.routeResponseSelectionExpression, expression != "$default" {
            // AWS: route response selection "currently only the $default key is supported".
            throw .badRequest("Invalid routeResponseSelectionExpression '\(expression)': only $default is supported.")
        }
        if let expression = route.modelSelectionExpression, !expression.isEmpty {
            // AWS: the expression "evaluates to the key for Route.RequestModels" (`$request.body...` or a constant).
            try validateSelectionExpression(expression, member: "modelSelectionExpression")
        }
    }

    // MARK: integrations

    static func validate(_ integration: Integration) throws(APIError) {
        switch integration.integrationType {
        case "MOCK":
            break
        case "HTTP", "HTTP_PROXY":
            guard let method = integration.integrationMethod else {
                throw .badRequest("IntegrationMethod is required for \(integration.integrationType) integrations.")
            }
            guard IntegrationValidation.httpMethods.contains(method) else {
                throw .badRequest(
                    "Invalid integrationMethod '\(method)'. Valid values: \(IntegrationValidation.httpMethods.sorted().joined(separator: ", ")).")
            }
            guard let uri = integration.integrationUri else {
                throw .badRequest("IntegrationUri is required for \(integration.integrationType) integrations.")
            }
            guard IntegrationValidation.isAbsoluteHTTPURL(uri) else {
                throw .badRequest("Invalid integrationUri '\(uri)': an \(integration.integrationType) integration needs an absolute http:// or https:// URL.")
            }
        case "AWS_PROXY", "AWS":
            let type = integration.integrationType
            guard let uri = integration.integrationUri else {
                throw .badRequest("IntegrationUri is required for \(type) integrations.")
            }
            guard IntegrationValidation.isLambdaTarget(uri) else {
                // Portico runs Lambda functions and no other AWS service, so `AWS` integrations invoke functions only.
                throw .badRequest("Invalid integrationUri '\(uri)': an \(type) integration needs a Lambda function ARN or invocation URI.")
            }
        default:
            throw .badRequest("Portico does not support \(integration.integrationType) integrations on WebSocket APIs; use AWS, AWS_PROXY, HTTP, HTTP_PROXY or MOCK.")
        }
        if integration.integrationSubtype != nil {
            throw .badRequest("integrationSubtype is supported only for HTTP APIs.")
        }
        if integration.connectionType == "VPC_LINK" {
            throw .badRequest("Portico does not support VPC_LINK connections; use connectionType INTERNET.")
        }
        if let version = integration.payloadFormatVersion, version != "1.0" {
            // AWS: "For all other integrations [than HTTP API Lambda proxy], 1.0 is the only supported value."
            throw .badRequest("Invalid payloadFormatVersion '\(version)': 1.0 is the only supported value for WebSocket APIs.")
        }
        if let timeout = integration.timeoutInMillis, !(50...maxTimeoutMillis).contains(timeout) {
            throw .badRequest("Invalid timeoutInMillis \(timeout): it must be between 50 and \(maxTimeoutMillis) milliseconds for WebSocket APIs.")
        }
        if integration.responseParameters?.isEmpty == false {
            // AWS API reference, Integration.responseParameters: "Supported only for HTTP APIs."
            throw .badRequest("responseParameters on an integration are supported only for HTTP APIs; use integration responses.")
        }
        if let expression = integration.templateSelectionExpression {
            try validateSelectionExpression(expression, member: "templateSelectionExpression")
        }
        if let parameters = integration.requestParameters {
            try validateRequestParameters(parameters)
        }
    }

    /// `requestParameters` of a WebSocket integration (AWS, "Set up data mapping for WebSocket APIs"): keys
    /// `integration.request.{header|querystring|path}.NAME`; values `route.request.{header|querystring|
    /// multivalueheader|multivaluequerystring}.NAME` (NAME matching `^[a-zA-Z0-9._$-]+$`), `route.request.body`
    /// with a JSONPath, `stageVariables.NAME`, `context.NAME` or a `'static value'`. The error's wording is
    /// REST's "Invalid mapping expression specified" (Portico's guess for WebSocket APIs).
    static func validateRequestParameters(_ parameters: [String: String]) throws(APIError) {
        let targets = ["integration.request.header.", "integration.request.querystring.", "integration.request.path."]
        let named = ["route.request.header.", "route.request.querystring.", "route.request.multivalueheader.", "route.request.multivaluequerystring."]
        for (key, value) in parameters.sorted(by: { $0.key < $1.key }) {
            guard let target = targets.first(where: { key.hasPrefix($0) }), key.count > target.count else {
                throw .badRequest(
                    "Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: \(key)]")
            }
            let text = value.trimmingCharacters(in: .whitespaces)
            var valid = text.count >= 2 && text.hasPrefix("'") && text.hasSuffix("'")
            if let prefix = named.first(where: { text.hasPrefix($0) }) {
                let name = text.dropFirst(prefix.count)
                valid = !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._$-".contains($0)) }
            } else if text == "route.request.body" || text.hasPrefix("route.request.body.") && text.count > "route.request.body.".count {
                valid = true
            } else if let prefix = ["stageVariables.", "context."].first(where: { text.hasPrefix($0) }) {
                valid = text.count > prefix.count
            }
            guard valid else {
                throw .badRequest(
                    "Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: \(value)]")
            }
        }
    }

    /// Selection expressions other than route selection: a constant (`\$default`) or `$request.body` references.
    static func validateSelectionExpression(_ value: String, member: String, integrationResponse: Bool = false) throws(APIError) {
        do {
            _ = try SelectionExpression(parsing: value, integrationResponse: integrationResponse)
        } catch {
            throw .badRequest("Invalid \(member) '\(value)': \(error.reason).")
        }
    }

    /// `$default` or `/regex/` (AWS: "the expression should be wrapped with forward slashes").
    static func validateIntegrationResponseKey(_ key: String) throws(APIError) {
        if key == "$default" { return }
        guard key.count >= 3, key.hasPrefix("/"), key.hasSuffix("/") else {
            throw .badRequest("Invalid integrationResponseKey '\(key)': it must be $default or a /regex/ such as /4\\d\\d/.")
        }
        let pattern = String(key.dropFirst().dropLast())
        guard (try? NSRegularExpression(pattern: pattern)) != nil else {
            throw .badRequest("Invalid integrationResponseKey '\(key)': '\(pattern)' is not a valid regular expression.")
        }
    }
}
