/// A gateway response (`PutGatewayResponse`, `GetGatewayResponse`): the status, headers and body
/// templates the gateway uses for one ``GatewayResponseType``. A REST API document keeps only the
/// customised ones; ``effective(_:customised:)`` works out what AWS shows for any type.
public struct GatewayResponse: Codable, Sendable, Equatable {
    public var responseType: GatewayResponseType
    public var statusCode: String?
    public var responseParameters: [String: String]
    public var responseTemplates: [String: String]
    public var defaultResponse: Bool

    public init(
        responseType: GatewayResponseType, statusCode: String?, responseParameters: [String: String] = [:],
        responseTemplates: [String: String] = GatewayResponse.defaultTemplates, defaultResponse: Bool
    ) {
        self.responseType = responseType
        self.statusCode = statusCode
        self.responseParameters = responseParameters
        self.responseTemplates = responseTemplates
        self.defaultResponse = defaultResponse
    }

    /// AWS's body for every gateway response nobody customised.
    public static let defaultTemplates = ["application/json": #"{"message":$context.error.messageString}"#]

    /// What AWS answers for `type` given the API's customised responses: the customised one; or,
    /// for a type still at its default, the default status with its family's (`DEFAULT_4XX` /
    /// `DEFAULT_5XX`) customised status, headers and templates laid over it, still flagged
    /// `defaultResponse: true` (AWS's behaviour, recorded in LocalStack's
    /// `test_gateway_response_put` snapshot).
    public static func effective(_ type: GatewayResponseType, customised: [GatewayResponse]) -> GatewayResponse {
        if let own = customised.first(where: { $0.responseType == type }) {
            return own
        }
        var response = GatewayResponse(responseType: type, statusCode: type.defaultStatusCode, defaultResponse: true)
        if let family = type.family, let parent = customised.first(where: { $0.responseType == family }) {
            if let status = parent.statusCode { response.statusCode = status }
            response.responseParameters = parent.responseParameters
            response.responseTemplates = parent.responseTemplates
        }
        return response
    }
}
