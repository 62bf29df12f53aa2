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
            try validateAwsUri(uri, proxy: integration.type == "AWS_PROXY")
        default:
            break
        }
        if let timeout = integration.timeoutInMillis,
            !(RestIntegration.minimumTimeoutMillis...maximumTimeout).contains(timeout)
        {
            throw RestMessages.timeout(maximum: maximumTimeout)
        }
    }

    /// REST AWS integrations name their target as an API Gateway service ARN,
    /// `arn:aws:apigateway:{region}:{service}:{path|action}/...` (AWS: "Invalid ARN specified in the
    /// request" otherwise, "AWS ARN for integration must contain path or action" without either);
    /// `AWS_PROXY` reaches only Lambda functions (and Firehose, which Portico does not run).
    static func validateAwsUri(_ uri: String, proxy: Bool) throws(APIError) {
        let parts = uri.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "apigateway", !parts[4].isEmpty else {
            throw RestMessages.awsUriRequired
        }
        guard parts[5].hasPrefix("path/") || parts[5].hasPrefix("action/") else { throw RestMessages.awsArnPathOrAction }
        if proxy, !(parts[4] == "lambda" && parts[5].hasPrefix("path/2015-03-31/functions/") && parts[5].hasSuffix("/invocations")) {
            throw RestMessages.awsProxyLambdaOnly
        }
    }

    private static func validateHttpMethod(_ method: String?) throws(APIError) {
        guard let method, !method.isEmpty else { throw RestMessages.httpMethodRequired }
        guard RestMethod.httpMethods.contains(method) else { throw RestMessages.invalidHttpMethod }
    }
}
