import PorticoModel

/// What an HTTP API integration must look like after `CreateIntegration` or `UpdateIntegration`
/// (the merged result is checked as a whole, so an update cannot leave it half-valid).
enum IntegrationValidation {
    static let httpMethods: Set<String> = ["ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    static func validate(_ integration: Integration, maxTimeoutMillis: Int = Integration.defaultTimeoutMillis) throws(APIError) {
        switch integration.integrationType {
        case "HTTP_PROXY":
            try validateHTTPProxy(integration)
        case "AWS_PROXY":
            try validateAWSProxy(integration)
        default:
            // AWS's wording for AWS, HTTP and MOCK on an HTTP API.
            throw .badRequest(
                "Currently, an API with a protocol type of HTTP may only be associated with proxy integrations (AWS_PROXY, HTTP_PROXY)")
        }
        if integration.connectionType == "VPC_LINK" {
            throw .badRequest("Portico does not support VPC_LINK connections; use connectionType INTERNET.")
        }
        if let timeout = integration.timeoutInMillis, !(50...max(50, maxTimeoutMillis)).contains(timeout) {
            // HTTP APIs: "50 milliseconds to 30 seconds". Portico's cap is configurable beyond
            // AWS's (`--max-integration-timeout-ms`); the default keeps AWS's.
            throw .badRequest(
                "Invalid timeoutInMillis \(timeout): it must be between 50 and \(maxTimeoutMillis) milliseconds for HTTP APIs.")
        }
        if let parameters = integration.requestParameters {
            try validateRequestParameters(parameters)
        }
        if let parameters = integration.responseParameters {
            try validateResponseParameters(parameters)
        }
    }

    private static func validateHTTPProxy(_ integration: Integration) throws(APIError) {
        guard let method = integration.integrationMethod else {
            throw .badRequest("IntegrationMethod is required for HTTP_PROXY integrations.")
        }
        guard httpMethods.contains(method) else {
            throw .badRequest("Invalid integrationMethod '\(method)'. Valid values: \(httpMethods.sorted().joined(separator: ", ")).")
        }
        guard let uri = integration.integrationUri else {
            throw .badRequest("IntegrationUri is required for HTTP_PROXY integrations.")
        }
        guard isAbsoluteHTTPURL(uri) else {
            throw .badRequest("Invalid integrationUri '\(uri)': an HTTP_PROXY integration needs an absolute http:// or https:// URL.")
        }
        // HTTP APIs: "For all other integrations, 1.0 is the only supported value."
        guard integration.payloadFormatVersion == "1.0" else {
            throw .badRequest(
                "Invalid payloadFormatVersion '\(integration.payloadFormatVersion ?? "")': 1.0 is the only supported value for HTTP_PROXY integrations.")
        }
    }

    private static func validateAWSProxy(_ integration: Integration) throws(APIError) {
        if let subtype = integration.integrationSubtype {
            throw .badRequest("Portico does not support AWS service integrations yet (integrationSubtype \(subtype)).")
        }
        guard let uri = integration.integrationUri else {
            throw .badRequest("IntegrationUri is required for AWS_PROXY integrations.")
        }
        guard isLambdaTarget(uri) else {
            throw .badRequest("Invalid integrationUri '\(uri)': an AWS_PROXY integration needs a Lambda function ARN or invocation URI.")
        }
        guard let version = integration.payloadFormatVersion else {
            throw .badRequest("PayloadFormatVersion is required for AWS_PROXY integrations of HTTP APIs (1.0 or 2.0).")
        }
        guard version == "1.0" || version == "2.0" else {
            throw .badRequest("Invalid payloadFormatVersion '\(version)': Lambda proxy integrations support 1.0 and 2.0.")
        }
    }

    /// `http://host...` or `https://host...`; the host may be a stage variable (`${stageVariables.host}`).
    static func isAbsoluteHTTPURL(_ text: String) -> Bool {
        let lowered = text.lowercased()
        for scheme in ["http://", "https://"] where lowered.hasPrefix(scheme) {
            let rest = text.dropFirst(scheme.count)
            let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            return !host.isEmpty && !host.contains(" ")
        }
        return false
    }

    /// A Lambda function ARN (`arn:aws:lambda:...:function:name`) or the API Gateway invocation
    /// URI that wraps one (`arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations`).
    static func isLambdaTarget(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn", parts[1].hasPrefix("aws") else { return false }
        if parts[2] == "lambda" { return parts[5] == "function" && parts.count >= 7 && !parts[6].isEmpty }
        return parts[2] == "apigateway" && parts[4] == "lambda" && text.contains("/functions/") && text.hasSuffix("/invocations")
    }

    /// Keys of an HTTP API integration's `requestParameters`:
    /// `append|overwrite|remove:header.{name}`, `append|overwrite|remove:querystring.{name}`, `overwrite:path`.
    static func validateRequestParameters(_ parameters: [String: String]) throws(APIError) {
        for (key, value) in parameters {
            guard isValidRequestKey(key) else {
                throw .badRequest(
                    "Invalid mapping key '\(key)' in requestParameters. Keys must be append:, overwrite: or remove: followed by header.{name} or querystring.{name}, or overwrite:path."
                )
            }
            guard !value.isEmpty else {
                throw .badRequest("Invalid mapping value for '\(key)' in requestParameters: the value must not be empty.")
            }
        }
    }

    /// `responseParameters` are keyed by a status code (200–599); each mapping key is
    /// `append|overwrite|remove:header.{name}` or `overwrite:statuscode`.
    static func validateResponseParameters(_ parameters: [String: [String: String]]) throws(APIError) {
        for (statusCode, mappings) in parameters {
            guard let code = Int(statusCode), (200...599).contains(code), statusCode.count == 3 else {
                throw .badRequest("Invalid status code '\(statusCode)' in responseParameters: it must be between 200 and 599.")
            }
            for (key, value) in mappings {
                guard isValidResponseKey(key) else {
                    throw .badRequest(
                        "Invalid mapping key '\(key)' in responseParameters for status code \(statusCode). Keys must be append:, overwrite: or remove: followed by header.{name}, or overwrite:statuscode."
                    )
                }
                guard !value.isEmpty else {
                    throw .badRequest("Invalid mapping value for '\(key)' in responseParameters: the value must not be empty.")
                }
            }
        }
    }

    private static func isValidRequestKey(_ key: String) -> Bool {
        if key == "overwrite:path" { return true }
        guard let (_, target) = splitAction(key) else { return false }
        return hasName(target, prefix: "header.", isHeader: true) || hasName(target, prefix: "querystring.", isHeader: false)
    }

    private static func isValidResponseKey(_ key: String) -> Bool {
        if key == "overwrite:statuscode" { return true }
        guard let (_, target) = splitAction(key) else { return false }
        return hasName(target, prefix: "header.", isHeader: true)
    }

    private static func splitAction(_ key: String) -> (Substring, Substring)? {
        guard let colon = key.firstIndex(of: ":") else { return nil }
        let action = key[..<colon]
        guard action == "append" || action == "overwrite" || action == "remove" else { return nil }
        return (action, key[key.index(after: colon)...])
    }

    private static func hasName(_ target: Substring, prefix: String, isHeader: Bool) -> Bool {
        guard target.hasPrefix(prefix) else { return false }
        let name = target.dropFirst(prefix.count)
        guard !name.isEmpty else { return false }
        if isHeader {
            // An HTTP token (RFC 9110).
            let tokenPunctuation = Set("!#$%&'*+-.^_`|~".utf8)
            return name.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || tokenPunctuation.contains(byte)
            }
        }
        return !name.contains(where: { $0 == " " || $0 == "&" || $0 == "=" })
    }
}
