public import Foundation

/// An `apigateway` (v1) REST API, in the shape the management API sends and receives
/// (`CreateRestApi`, `GetRestApi`, `UpdateRestApi`). Its resources, models and stages live beside
/// it in the ``RestApiDocument``.
public struct RestApi: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String?
    public var createdDate: Date?
    public var version: String?
    public var warnings: [String]?
    public var binaryMediaTypes: [String]?
    public var minimumCompressionSize: Int?
    public var apiKeySource: String?
    public var endpointConfiguration: EndpointConfiguration?
    public var policy: String?
    public var tags: [String: String]?
    public var disableExecuteApiEndpoint: Bool?
    public var rootResourceId: String?

    /// A REST API with AWS's defaults for the members `CreateRestApi` leaves out: API keys from
    /// the `x-api-key` header, an edge-optimised IPv4 endpoint, the execute-api endpoint on.
    public init(id: String, name: String, rootResourceId: String, createdDate: Date?) {
        self.id = id
        self.name = name
        self.rootResourceId = rootResourceId
        self.createdDate = createdDate
        self.apiKeySource = "HEADER"
        self.endpointConfiguration = EndpointConfiguration(types: ["EDGE"], ipAddressType: "ipv4")
        self.disableExecuteApiEndpoint = false
    }

    /// The largest `minimumCompressionSize` AWS accepts (10 MiB).
    public static let maximumCompressionSize = 10_485_760
}

/// Where a REST API is reachable: `EDGE`, `REGIONAL` or `PRIVATE`, over IPv4 or dual-stack.
public struct EndpointConfiguration: Codable, Sendable, Equatable {
    public var types: [String]?
    public var ipAddressType: String?
    public var vpcEndpointIds: [String]?

    public init(types: [String]? = nil, ipAddressType: String? = nil, vpcEndpointIds: [String]? = nil) {
        self.types = types
        self.ipAddressType = ipAddressType
        self.vpcEndpointIds = vpcEndpointIds
    }

    public static let endpointTypes = ["REGIONAL", "EDGE", "PRIVATE"]
    public static let ipAddressTypes = ["ipv4", "dualstack"]
}
