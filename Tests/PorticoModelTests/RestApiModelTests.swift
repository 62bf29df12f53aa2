import Foundation
import PorticoModel
import Testing

struct RestApiModelTests {
    @Test(arguments: [
        ("pets", RestPathPart.literal("pets")), ("{petId}", .variable("petId")), ("{proxy+}", .greedy("proxy")),
        ("v1.2_a-b", .literal("v1.2_a-b")),
    ])
    func pathPartsAWSAccepts(_ text: String, _ expected: RestPathPart) {
        #expect(RestPathPart(parsing: text) == expected)
    }

    @Test(arguments: ["", "{}", "{+}", "a/b", "{open", "close}", "sp ace", "{a b}", "x{y}"])
    func pathPartsAWSRefuses(_ text: String) {
        #expect(RestPathPart(parsing: text) == nil)
    }

    @Test func everyGatewayResponseTypeHasAWSDefaultStatus() {
        #expect(GatewayResponseType.allCases.count == 21)
        #expect(GatewayResponseType.missingAuthenticationToken.defaultStatusCode == "403")
        #expect(GatewayResponseType.integrationTimeout.defaultStatusCode == "504")
        #expect(GatewayResponseType.requestTooLarge.defaultStatusCode == "413")
        #expect(GatewayResponseType.default4XX.defaultStatusCode == nil)
        #expect(GatewayResponseType.unauthorized.family == .default4XX)
        #expect(GatewayResponseType.authorizerFailure.family == .default5XX)
    }

    @Test func defaultsInheritACustomisedFamilyButStayDefault() {
        let custom5xx = GatewayResponse(
            responseType: .default5XX, statusCode: "599", responseParameters: ["gatewayresponse.header.x": "'y'"],
            defaultResponse: false)
        let ownAuthorizer = GatewayResponse(responseType: .authorizerFailure, statusCode: "500", defaultResponse: false)
        let customised = [custom5xx, ownAuthorizer]

        let apiError = GatewayResponse.effective(.apiConfigurationError, customised: customised)
        #expect(apiError.statusCode == "599" && apiError.defaultResponse && apiError.responseParameters == custom5xx.responseParameters)
        #expect(GatewayResponse.effective(.authorizerFailure, customised: customised) == ownAuthorizer)
        let notFound = GatewayResponse.effective(.resourceNotFound, customised: customised)
        #expect(notFound.statusCode == "404" && notFound.responseTemplates == GatewayResponse.defaultTemplates)
    }

    static func document() -> RestApiDocument {
        let root = RestResource(id: "root000000", parentId: nil, pathPart: nil, path: "/")
        var document = RestApiDocument(
            restApi: RestApi(id: "abcdefghij", name: "t", rootResourceId: root.id, createdDate: nil), root: root,
            models: RestModel.defaults(ids: ("m1", "m2")))
        document.resources += [
            RestResource(id: "a", parentId: root.id, pathPart: "pets", path: "/pets"),
            RestResource(id: "b", parentId: "a", pathPart: "{id}", path: "/pets/{id}"),
            RestResource(id: "c", parentId: "b", pathPart: "toys", path: "/pets/{id}/toys"),
        ]
        return document
    }

    @Test func subtreeAndPathsFollowTheTree() {
        var document = Self.document()
        #expect(document.subtree(of: "a") == ["a", "b", "c"])
        document.resources[1].pathPart = "animals"
        document.recomputePaths()
        #expect(document.resources.map(\.path) == ["/", "/animals", "/animals/{id}", "/animals/{id}/toys"])
    }

    @Test func snapshotFreezesTheDefinitionAndSummarisesMethods() {
        var document = Self.document()
        var method = RestMethod(httpMethod: "GET", authorizationType: "NONE", apiKeyRequired: true)
        method.methodIntegration = RestIntegration(type: "MOCK")
        document.resources[2].resourceMethods = ["GET": method]
        let snapshot = RestDeploymentSnapshot(deploymentId: "dep001", of: document)
        document.resources[2].resourceMethods = nil
        #expect(snapshot.resources[2].method("GET") == method)
        #expect(snapshot.apiSummary == ["/pets/{id}": ["GET": MethodSnapshot(authorizationType: "NONE", apiKeyRequired: true)]])
        #expect(snapshot.gatewayResponse(.throttled).statusCode == "429")
    }

    @Test func defaultModelsAreValidJSONAsAWSShipsThem() throws {
        for model in RestModel.defaults(ids: ("e", "r")) {
            let object = try JSONSerialization.jsonObject(with: Data((model.schema ?? "").utf8)) as? [String: Any]
            #expect(object?["title"] as? String == "\(model.name) Schema")
        }
    }

    @Test func datesGoOutAsEpochSecondsForRESTAPIs() throws {
        let api = RestApi(id: "abcdefghij", name: "n", rootResourceId: "r", createdDate: Date(timeIntervalSince1970: 1_700_000_000))
        let text = String(decoding: try JSONCoding.epochEncoder().encode(api), as: UTF8.self)
        #expect(text.contains(#""createdDate":1700000000"#))
        #expect(text.contains(#""endpointConfiguration":{"ipAddressType":"ipv4","types":["EDGE"]}"#))
    }

    @Test func emptyResponseTemplatesAreNullOnTheWireAsAWSSendsThem() throws {
        var response = IntegrationResponse(statusCode: "200")
        response.responseTemplates = ["application/json": "", "application/xml": "<a/>"]
        let data = try JSONCoding.encoder().encode(response)
        #expect(String(decoding: data, as: UTF8.self).contains(#""application/json":null"#))
        #expect(try JSONCoding.decoder().decode(IntegrationResponse.self, from: data) == response)
    }
}
