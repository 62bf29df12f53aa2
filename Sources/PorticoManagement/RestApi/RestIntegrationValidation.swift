import PorticoModel

/// What an integration needs for its type: HTTP ones a method and an http(s) URL, AWS ones a
/// method and a URI; a timeout within AWS's bounds.
enum RestIntegrationValidation {
    static func validate(_ integration: RestIntegration, maximumTimeout: Int) throws(APIError) {
        switch integration.type {
        case "HTTP", "HTTP_PROXY":
            try validateHttpMethod(integration.httpMethod)
            guard let uri = integration.uri, uri.hasPrefix("http://") || uri.hasPrefix("https://") else {
                throw RestMessages.httpUriRequired
            }
        case "AWS", "AWS_PROXY":
            try validateHttpMethod(integration.httpMethod)
            guard let uri = integration.uri, !uri.isEmpty else { throw RestMessages.awsUriRequired }
        default:
            break
        }
        if let timeout = integration.timeoutInMillis,
            !(RestIntegration.minimumTimeoutMillis...maximumTimeout).contains(timeout)
        {
            throw RestMessages.timeout(maximum: maximumTimeout)
        }
    }

    private static func validateHttpMethod(_ method: String?) throws(APIError) {
        guard let method, !method.isEmpty else { throw RestMessages.httpMethodRequired }
        guard RestMethod.httpMethods.contains(method) else { throw RestMessages.invalidHttpMethod }
    }
}
