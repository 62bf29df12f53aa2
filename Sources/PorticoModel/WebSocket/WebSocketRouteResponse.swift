/// A route response of a WebSocket API route (`apigatewayv2` CreateRouteResponse). A route with
/// a route response is two-way: the integration's answer goes back to the client. AWS: "currently
/// only the `$default` key is supported" for route response keys.
public struct WebSocketRouteResponse: Codable, Sendable, Equatable {
    public var modelSelectionExpression: String?
    public var responseModels: [String: String]?
    public var responseParameters: [String: ParameterConstraints]?
    public var routeResponseId: String
    public var routeResponseKey: String

    public init(routeResponseId: String, routeResponseKey: String) {
        self.routeResponseId = routeResponseId
        self.routeResponseKey = routeResponseKey
    }
}
