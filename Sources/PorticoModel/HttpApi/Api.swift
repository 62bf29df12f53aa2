public import Foundation

/// An `apigatewayv2` API (protocol `HTTP` or `WEBSOCKET`),
/// in the shape the management API sends and receives.
public struct Api: Codable, Sendable, Equatable {
    public var apiEndpoint: String?
    public var apiGatewayManaged: Bool?
    public var apiId: String
    public var apiKeySelectionExpression: String?
    public var corsConfiguration: CorsConfiguration?
    public var createdDate: Date?
    public var description: String?
    public var disableSchemaValidation: Bool?
    public var disableExecuteApiEndpoint: Bool?
    public var importInfo: [String]?
    public var ipAddressType: String?
    public var name: String
    public var protocolType: ProtocolType
    public var routeSelectionExpression: String
    public var tags: [String: String]?
    public var version: String?
    public var warnings: [String]?

    public init(
        apiId: String,
        name: String,
        protocolType: ProtocolType,
        routeSelectionExpression: String = "$request.method $request.path",
        createdDate: Date? = nil
    ) {
        self.apiId = apiId
        self.name = name
        self.protocolType = protocolType
        self.routeSelectionExpression = routeSelectionExpression
        self.apiKeySelectionExpression = "$request.header.x-api-key"
        self.createdDate = createdDate
        self.disableExecuteApiEndpoint = false
        self.ipAddressType = "ipv4"
        self.tags = [:]
    }
}

public enum ProtocolType: String, Codable, Sendable {
    case http = "HTTP"
    case websocket = "WEBSOCKET"
}

/// An HTTP API's CORS configuration (`corsConfiguration`).
public struct CorsConfiguration: Codable, Sendable, Equatable {
    public var allowCredentials: Bool?
    public var allowHeaders: [String]?
    public var allowMethods: [String]?
    public var allowOrigins: [String]?
    public var exposeHeaders: [String]?
    public var maxAge: Int?

    public init(
        allowCredentials: Bool? = nil, allowHeaders: [String]? = nil, allowMethods: [String]? = nil,
        allowOrigins: [String]? = nil, exposeHeaders: [String]? = nil, maxAge: Int? = nil
    ) {
        self.allowCredentials = allowCredentials
        self.allowHeaders = allowHeaders
        self.allowMethods = allowMethods
        self.allowOrigins = allowOrigins
        self.exposeHeaders = exposeHeaders
        self.maxAge = maxAge
    }
}
