import PorticoModel
import PorticoRuntime
import Testing

/// A WebSocket route's required `requestParameters`, as the data plane checks them on `$connect`.
struct WebSocketRequiredParameterTests {
    @Test func onlyRequiredHeadersAndQueryStringParametersAreKept() {
        var route = Route(routeId: "r1", routeKey: "$connect")
        route.requestParameters = [
            "route.request.header.Auth": ParameterConstraints(required: true),
            "route.request.querystring.room": ParameterConstraints(required: true),
            "route.request.querystring.optional": ParameterConstraints(required: false),
            "route.request.header.Other": ParameterConstraints(),
            "route.request.path.id": ParameterConstraints(required: true),
            "route.request.header.": ParameterConstraints(required: true),
        ]
        let required = WebSocketRequiredParameter.required(by: route)
        #expect(required == [.header("Auth"), .querystring("room")])
        #expect(required.map(\.name) == ["Auth", "room"])
        #expect(WebSocketRequiredParameter.required(by: Route(routeId: "r2", routeKey: "$default")).isEmpty)
    }
}
