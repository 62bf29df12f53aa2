/// The kinds of error the gateway answers itself, with the status AWS gives each by default
/// (AWS developer guide, "Gateway response types for API Gateway"; the defaults as AWS's
/// `GetGatewayResponses` lists them for a new API, recorded in LocalStack's
/// `test_apigateway_api.snapshot.json`, `test_gateway_response_crud`).
public enum GatewayResponseType: String, Codable, Sendable, CaseIterable, Comparable {
    case accessDenied = "ACCESS_DENIED"
    case apiConfigurationError = "API_CONFIGURATION_ERROR"
    case authorizerConfigurationError = "AUTHORIZER_CONFIGURATION_ERROR"
    case authorizerFailure = "AUTHORIZER_FAILURE"
    case badRequestBody = "BAD_REQUEST_BODY"
    case badRequestParameters = "BAD_REQUEST_PARAMETERS"
    case default4XX = "DEFAULT_4XX"
    case default5XX = "DEFAULT_5XX"
    case expiredToken = "EXPIRED_TOKEN"
    case integrationFailure = "INTEGRATION_FAILURE"
    case integrationTimeout = "INTEGRATION_TIMEOUT"
    case invalidApiKey = "INVALID_API_KEY"
    case invalidSignature = "INVALID_SIGNATURE"
    case missingAuthenticationToken = "MISSING_AUTHENTICATION_TOKEN"
    case quotaExceeded = "QUOTA_EXCEEDED"
    case requestTooLarge = "REQUEST_TOO_LARGE"
    case resourceNotFound = "RESOURCE_NOT_FOUND"
    case throttled = "THROTTLED"
    case unauthorized = "UNAUTHORIZED"
    case unsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
    case wafFiltered = "WAF_FILTERED"

    /// The status AWS answers with when nothing is customised; `nil` for the two catch-all types,
    /// which take the status of the error they stand in for.
    public var defaultStatusCode: String? {
        switch self {
        case .accessDenied, .expiredToken, .invalidApiKey, .invalidSignature, .missingAuthenticationToken, .wafFiltered: "403"
        case .apiConfigurationError, .authorizerConfigurationError, .authorizerFailure: "500"
        case .badRequestBody, .badRequestParameters: "400"
        case .default4XX, .default5XX: nil
        case .integrationFailure, .integrationTimeout: "504"
        case .quotaExceeded, .throttled: "429"
        case .requestTooLarge: "413"
        case .resourceNotFound: "404"
        case .unauthorized: "401"
        case .unsupportedMediaType: "415"
        }
    }

    /// The catch-all type whose customisation this type inherits while it is not customised itself
    /// (AWS: a customised `DEFAULT_5XX` shows up on every 5xx type still at its default).
    public var family: GatewayResponseType? {
        switch self {
        case .default4XX, .default5XX: nil
        default: (defaultStatusCode ?? "").hasPrefix("5") ? .default5XX : .default4XX
        }
    }

    public static func < (lhs: GatewayResponseType, rhs: GatewayResponseType) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
