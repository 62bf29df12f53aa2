/// An integration of an HTTP API: where a route's requests go (`HTTP_PROXY` to a URL; `AWS_PROXY`
/// to a Lambda function arrives with the Lambda issue), with parameter mapping and a timeout.
public struct Integration: Codable, Sendable, Equatable {
    public var apiGatewayManaged: Bool?
    public var connectionId: String?
    public var connectionType: String?
    public var contentHandlingStrategy: String?
    public var credentialsArn: String?
    public var description: String?
    public var integrationId: String
    public var integrationMethod: String?
    public var integrationResponseSelectionExpression: String?
    public var integrationSubtype: String?
    public var integrationType: String
    public var integrationUri: String?
    public var passthroughBehavior: String?
    public var payloadFormatVersion: String?
    public var requestParameters: [String: String]?
    public var requestTemplates: [String: String]?
    public var responseParameters: [String: [String: String]]?
    public var templateSelectionExpression: String?
    public var timeoutInMillis: Int?
    public var tlsConfig: TLSConfig?

    public init(integrationId: String, integrationType: String) {
        self.integrationId = integrationId
        self.integrationType = integrationType
    }

    /// AWS's default and maximum integration timeout for HTTP APIs.
    public static let defaultTimeoutMillis = 30_000
}

public struct TLSConfig: Codable, Sendable, Equatable {
    public var serverNameToVerify: String?
    public init(serverNameToVerify: String? = nil) { self.serverNameToVerify = serverNameToVerify }
}
