/// A method's integration (`PutIntegration`): the backend (`MOCK`, `HTTP`, `HTTP_PROXY`, `AWS`,
/// `AWS_PROXY`), the request mapping (parameters, templates, passthrough) and the integration
/// responses that map the backend's answer back.
public struct RestIntegration: Codable, Sendable, Equatable {
    public var type: String
    public var httpMethod: String?
    public var uri: String?
    public var connectionType: String?
    public var connectionId: String?
    public var credentials: String?
    /// `integration.request.{location}.{name}` → a mapping expression.
    public var requestParameters: [String: String]?
    /// Content type → Velocity template.
    public var requestTemplates: [String: String]?
    public var passthroughBehavior: String?
    public var contentHandling: String?
    public var timeoutInMillis: Int?
    public var cacheNamespace: String?
    public var cacheKeyParameters: [String]?
    public var integrationResponses: [String: IntegrationResponse]?
    public var tlsConfig: RestTLSConfig?

    public init(type: String) {
        self.type = type
    }

    public static let types = ["HTTP", "AWS", "MOCK", "HTTP_PROXY", "AWS_PROXY"]
    public static let passthroughBehaviors = ["WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"]
    public static let contentHandlingStrategies = ["CONVERT_TO_BINARY", "CONVERT_TO_TEXT"]
    /// AWS's default and, for edge-optimised APIs, maximum integration timeout for REST APIs.
    public static let defaultTimeoutMillis = 29_000
    /// AWS's smallest integration timeout.
    public static let minimumTimeoutMillis = 50
}

/// How a backend's answer becomes the method's: chosen by `selectionPattern` (a regular expression
/// over the backend status or error message), with header and body mapping.
///
/// An empty response template (pass the body through) is `null` on the wire, as AWS answers it
/// (recorded in LocalStack's `test_put_integration_response_templates` snapshot); in Swift it is `""`.
public struct IntegrationResponse: Codable, Sendable, Equatable {
    public var statusCode: String
    public var selectionPattern: String?
    public var responseParameters: [String: String]?
    public var responseTemplates: [String: String]?
    public var contentHandling: String?

    public init(statusCode: String) {
        self.statusCode = statusCode
    }

    private enum CodingKeys: String, CodingKey {
        case statusCode, selectionPattern, responseParameters, responseTemplates, contentHandling
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        statusCode = try container.decode(String.self, forKey: .statusCode)
        selectionPattern = try container.decodeIfPresent(String.self, forKey: .selectionPattern)
        responseParameters = try container.decodeIfPresent([String: String].self, forKey: .responseParameters)
        responseTemplates = try container.decodeIfPresent([String: String?].self, forKey: .responseTemplates)?.mapValues { $0 ?? "" }
        contentHandling = try container.decodeIfPresent(String.self, forKey: .contentHandling)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(statusCode, forKey: .statusCode)
        try container.encodeIfPresent(selectionPattern, forKey: .selectionPattern)
        try container.encodeIfPresent(responseParameters, forKey: .responseParameters)
        try container.encodeIfPresent(
            responseTemplates?.mapValues { (template: String) -> String? in template.isEmpty ? nil : template },
            forKey: .responseTemplates)
        try container.encodeIfPresent(contentHandling, forKey: .contentHandling)
    }
}

public struct RestTLSConfig: Codable, Sendable, Equatable {
    public var insecureSkipVerification: Bool?
    public init(insecureSkipVerification: Bool? = nil) { self.insecureSkipVerification = insecureSkipVerification }
}
