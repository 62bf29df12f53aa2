import Foundation
import PorticoModel
import Testing

/// GetExport: a deployed REST API as OpenAPI 3.0 or Swagger 2.0, and back.
struct RestApiExportTests {
    typealias Support = RestImportTestSupport

    static let endpoint = "https://r1s2t3u4v5.execute-api.us-east-1.amazonaws.com"

    static func export(
        _ document: RestApiDocument, type: RestApiExporter.ExportType, format: OpenAPIFormat = .json,
        extensions: RestApiExporter.Extensions = .apigateway
    ) throws(APIError) -> String {
        try RestApiExporter.export(
            restApi: document.restApi, snapshot: RestDeploymentSnapshot(deploymentId: "dep123", of: document), stageName: "prod",
            deployedAt: OpenAPITestSupport.now, type: type, format: format, extensions: extensions, endpointURL: endpoint)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func swaggerExportHasHostStageDefinitionsAndExtensions() throws {
        let document = try Support.swaggerFixture()
        let text = try Self.export(document, type: .swagger)
        #expect(text.hasPrefix("{\n  \"swagger\" : \"2.0\",\n  \"info\" : {"))
        let spec = try Self.json(text)
        #expect(spec["host"] as? String == "r1s2t3u4v5.execute-api.us-east-1.amazonaws.com")
        #expect(spec["basePath"] as? String == "/prod")
        #expect(text.contains("\"info\" : {\n    \"description\""))
        // AWS leaves out the default INTERNET connection type; the definitions keep the API's order.
        #expect(!text.contains("connectionType"))
        #expect(Array((spec["definitions"] as? [String: Any] ?? [:]).keys).count == 4)
        #expect(text.range(of: "\"Pets\" : {")!.lowerBound < text.range(of: "\"PetType\" : {")!.lowerBound)
        #expect(spec["schemes"] as? [String] == ["https"])
        let definitions = try #require(spec["definitions"] as? [String: Any])
        #expect(Set(definitions.keys) == ["Pets", "Pet", "NewPet", "PetType"])
        #expect(text.contains(##""$ref" : "#/definitions/Pet""##))
        #expect(!text.contains("apigateway.amazonaws.com/restapis"))
        #expect(text.contains(#""x-amazon-apigateway-request-validators""#))
        #expect(text.contains(#""x-amazon-apigateway-gateway-responses""#))
        #expect(text.contains(#""x-amazon-apigateway-binary-media-types" : [ "image/png" ]"#))
        #expect(text.contains(#""passthroughBehavior" : "when_no_match""#))
        #expect(text.contains(#""type" : "http""#))
        let paths = try #require(spec["paths"] as? [String: [String: Any]])
        #expect(Set(paths.keys) == ["/pets", "/pets/{petId}", "/{proxy+}"])
        #expect(paths["/{proxy+}"]?["x-amazon-apigateway-any-method"] != nil)
        let post = try #require(paths["/pets"]?["post"] as? [String: Any])
        #expect(post["consumes"] as? [String] == ["application/json"])
        #expect(post["security"] as? [[String: [String]]] == [["api_key": []]])
        #expect(post["x-amazon-apigateway-request-validator"] as? String == "all")
    }

    @Test func extensionsAreOnlyThereWhenAskedFor() throws {
        let document = try Support.swaggerFixture()
        let plain = try Self.export(document, type: .oas30, extensions: [])
        #expect(!plain.contains("x-amazon-apigateway-integration"))
        #expect(!plain.contains("x-amazon-apigateway-request-validator"))
        #expect(!plain.contains("x-amazon-apigateway-gateway-responses"))
        let integrations = try Self.export(document, type: .oas30, extensions: .integrations)
        #expect(integrations.contains("x-amazon-apigateway-integration"))
        #expect(!integrations.contains("x-amazon-apigateway-request-validator"))
        #expect(!integrations.contains("x-amazon-apigateway-binary-media-types"))
        let validators = try Self.export(document, type: .oas30, extensions: .validators)
        #expect(validators.contains("x-amazon-apigateway-request-validators"))
        #expect(!validators.contains("x-amazon-apigateway-integration"))
        #expect(try RestApiExporter.Extensions(parameter: "integrations, VALIDATORS") == [.integrations, .validators])
        #expect(throws: APIError.self) { try RestApiExporter.Extensions(parameter: "everything") }
    }

    @Test func oas30ExportHasServersComponentsAndRequestBodies() throws {
        let document = try Support.swaggerFixture()
        let spec = try Self.json(try Self.export(document, type: .oas30))
        #expect(spec["openapi"] as? String == "3.0.1")
        let servers = try #require(spec["servers"] as? [[String: Any]])
        #expect(servers.first?["url"] as? String == Self.endpoint + "/{basePath}")
        let components = try #require(spec["components"] as? [String: Any])
        #expect((components["schemas"] as? [String: Any])?.keys.sorted() == ["NewPet", "Pet", "PetType", "Pets"])
        let paths = try #require(spec["paths"] as? [String: [String: [String: Any]]])
        let body = try #require(paths["/pets"]?["post"]?["requestBody"] as? [String: Any])
        #expect(body["required"] as? Bool == true)
        let parameters = try #require(paths["/pets"]?["get"]?["parameters"] as? [[String: Any]])
        #expect(parameters.map { $0["name"] as? String } == ["page", "type"])
        // OpenAPI 3.0 exports write `required` only when it is true, as AWS's do.
        #expect(parameters.map { $0["required"] as? Bool } == [true, nil])
        let text = try Self.export(document, type: .oas30)
        #expect(text.contains("\"info\" : {\n    \"title\" : \"PetStore\",\n    \"description\""))
        #expect(text.contains("\"default\" : \"prod\""))
    }

    @Test(arguments: [RestApiExporter.ExportType.oas30, .swagger], [OpenAPIFormat.json, .yaml])
    func exportThenImportGivesTheSameMethods(type: RestApiExporter.ExportType, format: OpenAPIFormat) throws {
        let original = try Support.swaggerFixture()
        let text = try Self.export(original, type: type, format: format)
        let again = try Support.importDocument(text)
        #expect(Set(again.resources.map(\.path)) == Set(original.resources.map(\.path)))
        #expect(Support.comparableMethods(again) == Support.comparableMethods(original))
        #expect(again.models.map(\.name).sorted() == original.models.map(\.name).sorted())
        for model in original.models {
            #expect(again.model(named: model.name)?.schema == model.schema, "\(model.name)")
        }
        #expect(again.gatewayResponses == original.gatewayResponses)
        #expect(again.restApi.binaryMediaTypes == original.restApi.binaryMediaTypes)
        #expect(again.restApi.policy == original.restApi.policy)
        #expect(again.restApi.warnings == nil)
    }
}
