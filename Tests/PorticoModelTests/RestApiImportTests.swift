import Foundation
import PorticoModel
import Testing

/// ImportRestApi and PutRestApi from Swagger 2.0 and OpenAPI 3.0 definitions.
struct RestApiImportTests {
    typealias Support = RestImportTestSupport

    @Test func importsSwaggerFixtureWithEveryExtension() throws {
        let document = try Support.swaggerFixture()
        let api = document.restApi
        #expect([api.name, api.description, api.version] == ["PetStore", "AWS's PetStore example, Swagger 2.0", "2024-06-01"])
        #expect(api.binaryMediaTypes == ["image/png"])
        #expect(api.minimumCompressionSize == 1024)
        #expect(api.apiKeySource == "HEADER")
        #expect(api.policy == #"{"Version":"2012-10-17","Statement":[]}"#)
        #expect(api.warnings == nil)
        #expect(Set(document.resources.map(\.path)) == ["/", "/pets", "/pets/{petId}", "/{proxy+}"])
        #expect(Set(document.models.map(\.name)) == ["Pets", "Pet", "NewPet", "PetType"])
        #expect(document.requestValidators.count == 2)
        #expect(document.gatewayResponses.map(\.responseType) == [.default4XX, .missingAuthenticationToken])
        #expect(document.gatewayResponses.last?.statusCode == "404")

        let list = try #require(Support.method(document, "/pets", "GET"))
        #expect(list.operationName == "listPets")
        #expect(list.requestParameters == ["method.request.querystring.type": false, "method.request.querystring.page": true])
        #expect(list.requestValidatorId == document.requestValidators.first { $0.name == "params" }?.id)
        #expect(list.methodResponses?["200"]?.responseParameters == ["method.response.header.Access-Control-Allow-Origin": false])
        #expect(list.methodResponses?["200"]?.responseModels == ["application/json": "Pets"])
        let integration = try #require(list.methodIntegration)
        #expect(integration.type == "HTTP")
        #expect(integration.connectionType == "INTERNET")
        #expect(integration.httpMethod == "GET")
        #expect(integration.uri == "http://petstore.execute-api.us-east-1.amazonaws.com/petstore/pets")
        #expect(integration.passthroughBehavior == "WHEN_NO_MATCH")
        #expect(integration.timeoutInMillis == 5000)
        #expect(integration.cacheKeyParameters == ["method.request.querystring.type"])
        #expect(integration.cacheNamespace == Support.resource(document, "/pets")?.id)
        #expect(integration.integrationResponses?["200"]?.selectionPattern == nil)
        #expect(integration.integrationResponses?["200"]?.responseParameters == ["method.response.header.Access-Control-Allow-Origin": "'*'"])
        #expect(integration.integrationResponses?["400"]?.selectionPattern == #"4\d{2}"#)
        #expect(integration.integrationResponses?["400"]?.responseTemplates == ["application/json": ""])

        let create = try #require(Support.method(document, "/pets", "POST"))
        #expect(create.apiKeyRequired)
        #expect(create.requestModels == ["application/json": "NewPet"])
        #expect(create.requestValidatorId == document.requestValidators.first { $0.name == "all" }?.id)
        #expect(create.methodIntegration?.passthroughBehavior == "NEVER")
        #expect(create.methodIntegration?.contentHandling == "CONVERT_TO_TEXT")

        let get = try #require(Support.method(document, "/pets/{petId}", "GET"))
        #expect(get.authorizationType == "AWS_IAM")
        #expect(get.requestParameters == ["method.request.path.petId": true])
        let proxy = try #require(Support.method(document, "/{proxy+}", "ANY"))
        #expect(proxy.methodIntegration?.type == "HTTP_PROXY")
        #expect(Support.method(document, "/pets", "POST")?.methodIntegration?.connectionType == "INTERNET")
        #expect(proxy.methodIntegration?.timeoutInMillis == 29_000)
    }

    @Test func rewritesModelReferencesToAWSModelURLs() throws {
        let document = try Support.swaggerFixture()
        let pets = try #require(document.model(named: "Pets")?.schema)
        #expect(pets.contains(#""$ref" : "https://apigateway.amazonaws.com/restapis/r1s2t3u4v5/models/Pet""#))
        let newPet = try #require(document.model(named: "NewPet")?.schema)
        #expect(newPet.contains("https://apigateway.amazonaws.com/restapis/r1s2t3u4v5/models/PetType"))
        let pet = try #require(document.model(named: "Pet")?.schema)
        #expect(pet.contains(#""minimum" : 0.5"#))
        #expect(document.models.allSatisfy { $0.contentType == "application/json" && $0.id.count == Identifier.modelLength })
    }

    @Test func importsOpenAPI3YAMLWithRequestBodiesAndInlineSchemas() throws {
        let yaml = """
            openapi: 3.0.1
            info: {title: shop, version: "1"}
            servers:
              - url: https://shop.example.com/{basePath}
                variables: {basePath: {default: /prod}}
                x-amazon-apigateway-endpoint-configuration: {types: [REGIONAL]}
            paths:
              /orders:
                post:
                  parameters:
                    - {name: x-trace, in: header, required: true, schema: {type: string}}
                  requestBody:
                    content:
                      application/json:
                        schema: {$ref: '#/components/schemas/Order'}
                  responses:
                    "201":
                      description: created
                      headers: {Location: {schema: {type: string}}}
                      content:
                        application/json:
                          schema:
                            type: object
                            properties: {id: {type: string, nullable: true, example: x}}
                  x-amazon-apigateway-integration:
                    type: MOCK
                    requestTemplates: {application/json: '{"statusCode": 201}'}
                    responses: {default: {statusCode: 201}}
              /orders/{orderId}/items: {}
            components:
              schemas:
                Order: {type: object, properties: {example: {type: string}}, readOnly: true}
            """
        let document = try Support.importDocument(yaml, basepath: "prepend")
        #expect(Set(document.resources.map(\.path)) == ["/", "/prod", "/prod/orders", "/prod/orders/{orderId}", "/prod/orders/{orderId}/items"])
        #expect(document.restApi.endpointConfiguration?.types == ["REGIONAL"])
        let post = try #require(Support.method(document, "/prod/orders", "POST"))
        #expect(post.requestParameters == ["method.request.header.x-trace": true])
        #expect(post.requestModels == ["application/json": "Order"])
        #expect(post.methodResponses?["201"]?.responseParameters == ["method.response.header.Location": false])
        let generated = try #require(post.methodResponses?["201"]?.responseModels?["application/json"])
        #expect(generated == "PostProdOrdersResponse201")
        let schema = try #require(document.model(named: generated)?.schema)
        #expect(schema.contains(#""type" : [ "string", "null" ]"#))
        #expect(!schema.contains("example"))
        // A property called `example` is a property, not the OpenAPI keyword.
        let order = try #require(document.model(named: "Order")?.schema)
        #expect(order.contains(#""example" : {"#))
        #expect(!order.contains("readOnly"))
        #expect(post.methodIntegration?.integrationResponses?["201"]?.statusCode == "201")
    }

    @Test func warningsAreListedOrFailTheImport() throws {
        let yaml = """
            openapi: 3.0.1
            info: {title: warn}
            x-amazon-apigateway-documentation: {version: "1"}
            x-amazon-apigateway-cors: {allowOrigins: ["*"]}
            paths:
              /a:
                get:
                  parameters: [{name: c, in: cookie}]
                  responses: {default: {description: x}, 2XX: {description: y}}
                  x-amazon-apigateway-integration:
                    type: mock
                    payloadFormatVersion: "1.0"
                    requestParameters: {integration.request.header.a: true, integration.request.header.b: "'true'"}
            """
        let document = try Support.importDocument(yaml)
        let warnings = try #require(document.restApi.warnings)
        #expect(warnings.count == 5, "\(warnings)")
        #expect(warnings.contains { $0.contains("x-amazon-apigateway-cors (line 4) is not supported") })
        #expect(warnings.contains { $0.contains("cookie parameter 'c' of GET /a") })
        #expect(warnings.contains { $0.contains("Response '2XX' of GET /a") })
        #expect(warnings.contains { $0.contains("payloadFormatVersion (line 12) is supported only for HTTP APIs") })
        // AWS's wording (recorded), for a mapping that is not a string.
        #expect(warnings.contains(
            "Invalid format for 'requestParameters'. Expected type string for property 'integration.request.header.a' of resource '/a' and method 'GET' but got 'true'"))
        #expect(RestImportTestSupport.method(document, "/a", "GET")?.methodIntegration?.requestParameters == ["integration.request.header.b": "'true'"])
        let error = try #require(Support.importError(yaml, failOnWarnings: true))
        #expect(error.status == 400)
        #expect(error.message.hasPrefix("Warnings found during import:\n\t"))
    }

    @Test(arguments: [
        ("openapi: 3.1.0\ninfo: {title: x}\npaths: {}", "openapi (line 1): REST APIs support Swagger 2.0 and OpenAPI 3.0"),
        ("swagger: '1.2'\ninfo: {title: x}", "swagger (line 1): REST APIs support Swagger 2.0"),
        ("info: {title: x}\npaths: {}", "attribute openapi (or swagger) is missing"),
        ("openapi: 3.0.0\ninfo: {title: x}\npaths:\n  /a:\n    get:\n      x-amazon-apigateway-integration: {type: lambda}", "paths./a.get.x-amazon-apigateway-integration.type (line 6): unknown integration type 'lambda'"),
        ("openapi: 3.0.0\ninfo: {title: x}\npaths:\n  /a:\n    get:\n      x-amazon-apigateway-integration:\n        type: http\n        httpMethod: GET\n        uri: ftp://x", "uri (line 9): Invalid HTTP endpoint specified for URI"),
        ("openapi: 3.0.0\ninfo: {title: x}\npaths:\n  /a:\n    get:\n      x-amazon-apigateway-integration:\n        type: http\n        uri: http://x", "httpMethod is missing"),
        ("openapi: 3.0.0\ninfo: {title: x}\npaths:\n  /a:\n    get:\n      x-amazon-apigateway-integration:\n        type: mock\n        timeoutInMillis: 40000", "timeoutInMillis (line 8): expected an integer between 50 and 29000"),
        ("openapi: 3.0.0\ninfo: {title: x}\nx-amazon-apigateway-api-key-source: BODY\npaths: {}", "x-amazon-apigateway-api-key-source (line 3): expected HEADER or AUTHORIZER"),
        ("openapi: 3.0.0\ninfo: {title: x}\nx-amazon-apigateway-gateway-responses: {NOPE: {}}\npaths: {}", "unknown gateway response type 'NOPE'"),
        ("openapi: 3.0.0\ninfo: {title: x}\npaths:\n  /a:\n    get:\n      x-amazon-apigateway-request-validator: missing", "request validator 'missing' is not defined"),
        ("openapi: 3.0.0\ninfo: {title: x}\npaths:\n  /a b: {}", "invalid path '/a b'"),
        ("openapi: 3.0.0\ninfo: {title: x}\npaths:\n  /{a}: {}\n  /{b}: {}", "a resource has at most one variable child"),
        ("openapi: 3.0.0\ninfo: {title: x}\ncomponents:\n  schemas:\n    Pet-Type: {type: string}\npaths: {}", "Model name must be alphanumeric: Pet-Type"),
        ("{\"openapi\": \"3.0.0\",\n \"info\": {\"title\": \"x\"},,}", "malformed JSON at line 2"),
        ("openapi: 3.0.0\ninfo:\n  title: x\n   bad: indent", "malformed YAML at line"),
    ])
    func errorsNameTheFieldAndLine(definition: String, expected: String) throws {
        let error = try #require(Support.importError(definition))
        #expect(error.status == 400)
        #expect(error.type == "BadRequestException")
        #expect(error.message.contains(expected), "\(error.message)")
    }

    @Test func theResourceQuotaCountsIntermediateResources() throws {
        // 150 paths of two parts each make 300 resources besides the root: one over AWS's quota.
        let paths = (0..<150).map { "  /p\($0)/q: {}" }.joined(separator: "\n")
        let error = try #require(Support.importError("swagger: '2.0'\ninfo: {title: x}\npaths:\n" + paths))
        #expect(error.message.contains("at most 300 resources; this one would have 301"))
        #expect(Support.importError("swagger: '2.0'\ninfo: {title: x}\npaths:\n" + paths.split(separator: "\n").dropLast().joined(separator: "\n")) == nil)
    }

    @Test func authorizersAreImportedAndProtectTheirMethods() throws {
        let uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations"
        let yaml = """
            swagger: "2.0"
            info: {title: x}
            securityDefinitions:
              lambda:
                type: apiKey
                name: X-Token
                in: header
                x-amazon-apigateway-authtype: custom
                x-amazon-apigateway-authorizer: {type: token, authorizerUri: "\(uri)", authorizerResultTtlInSeconds: 60}
              req:
                type: apiKey
                name: Unused
                in: header
                x-amazon-apigateway-authorizer: {type: request, authorizerUri: "\(uri)", identitySource: "method.request.querystring.k"}
            paths:
              /a:
                get:
                  security: [{lambda: []}]
              /b:
                get:
                  security: [{req: []}]
              /c:
                get: {}
            """
        let document = try Support.importDocument(yaml)
        let token = try #require(document.authorizers.first { $0.name == "lambda" })
        #expect(token.type == "TOKEN" && token.identitySource == "method.request.header.X-Token" && token.authorizerResultTtlInSeconds == 60)
        let request = try #require(document.authorizers.first { $0.name == "req" })
        #expect(request.type == "REQUEST" && request.identitySource == "method.request.querystring.k")
        let methods = Dictionary(uniqueKeysWithValues: document.allMethods.map { ($0.resource.path, $0.method) })
        #expect(methods["/a"]?.authorizationType == "CUSTOM" && methods["/a"]?.authorizerId == token.id)
        #expect(methods["/b"]?.authorizerId == request.id)
        #expect(methods["/c"]?.authorizationType == "NONE" && methods["/c"]?.authorizerId == nil)
        // A Lambda authorizer without its function cannot protect anything: refused.
        let error = try #require(Support.importError(yaml.replacingOccurrences(of: "authorizerUri: \"\(uri)\", authorizerResultTtlInSeconds: 60", with: "authorizerResultTtlInSeconds: 60")))
        #expect(error.message.contains("authorizerUri is required"))
    }

    @Test func overwriteReplacesAndMergeKeeps() throws {
        let first = """
            openapi: 3.0.1
            info: {title: one, version: "1"}
            x-amazon-apigateway-binary-media-types: [image/png]
            x-amazon-apigateway-request-validators: {v: {validateRequestBody: true}}
            paths:
              /a:
                get:
                  responses: {"200": {description: ok}, "206": {description: partial}}
                  x-amazon-apigateway-integration: {type: mock}
                post:
                  x-amazon-apigateway-integration: {type: mock}
              /b:
                get:
                  x-amazon-apigateway-integration: {type: mock}
            components:
              schemas:
                Keep: {type: object}
            """
        let second = """
            openapi: 3.0.1
            info: {title: two}
            x-amazon-apigateway-binary-media-types: [image/gif]
            paths:
              /a:
                get:
                  responses: {"200": {description: ok}, "400": {description: bad}}
                  x-amazon-apigateway-integration: {type: mock}
              /c:
                put:
                  x-amazon-apigateway-integration: {type: mock}
            """
        let original = try Support.importDocument(first)
        let rootId = original.restApi.rootResourceId
        let aId = Support.resource(original, "/a")?.id

        // AWS's documented example: GET /a takes the merging definition's responses, POST /a stays.
        let merged = try RestApiImporter.put(second, into: original, mode: .merge, basepath: nil, failOnWarnings: false)
        #expect(Set(merged.resources.map(\.path)) == ["/", "/a", "/b", "/c"])
        #expect(Support.resource(merged, "/a")?.id == aId)
        #expect(Set(Support.method(merged, "/a", "GET")?.methodResponses?.keys ?? [:].keys) == ["200", "400"])
        #expect(Support.method(merged, "/a", "POST") != nil)
        #expect(merged.restApi.name == "one")
        #expect(merged.restApi.binaryMediaTypes == ["image/png", "image/gif"])
        #expect(merged.model(named: "Keep") != nil)
        #expect(merged.requestValidators.count == 1)

        let overwritten = try RestApiImporter.put(second, into: original, mode: .overwrite, basepath: nil, failOnWarnings: false)
        #expect(Set(overwritten.resources.map(\.path)) == ["/", "/a", "/c"])
        // A path the definition keeps keeps its resource id, as on AWS.
        #expect(Support.resource(overwritten, "/a")?.id == aId)
        #expect(overwritten.restApi.rootResourceId == rootId)
        #expect(overwritten.resources.first { $0.isRoot }?.id == rootId)
        #expect(Support.method(overwritten, "/a", "POST") == nil)
        #expect(overwritten.restApi.name == "two")
        #expect(overwritten.restApi.version == nil)
        #expect(overwritten.restApi.binaryMediaTypes == ["image/gif"])
        #expect(overwritten.models.isEmpty)
        #expect(overwritten.requestValidators.isEmpty)
        #expect(overwritten.restApi.id == original.restApi.id)
    }

    @Test func privateEndpointFromTheParameterIsDualstack() throws {
        let document = try RestApiImporter.importDefinition(
            "openapi: 3.0.1\ninfo: {title: x}\npaths: {}", into: Support.emptyDocument(), basepath: nil, failOnWarnings: false,
            endpointTypes: ["PRIVATE"])
        #expect(document.restApi.endpointConfiguration == EndpointConfiguration(types: ["PRIVATE"], ipAddressType: "dualstack"))
    }

    @Test func putKeepsStagesDeploymentsAndEndpoint() throws {
        var original = try Support.importDocument("openapi: 3.0.1\ninfo: {title: x}\npaths: {/a: {get: {x-amazon-apigateway-integration: {type: mock}}}}")
        original.restApi.endpointConfiguration = EndpointConfiguration(types: ["PRIVATE"], ipAddressType: "dualstack")
        original.deployments = [RestDeployment(id: "dep123", description: nil, createdDate: nil)]
        original.stages = [RestStage(stageName: "prod", deploymentId: "dep123", createdDate: nil)]
        let yaml = "openapi: 3.0.1\ninfo: {title: y}\nservers: [{url: /, x-amazon-apigateway-endpoint-configuration: {types: [EDGE]}}]\npaths: {}"
        let overwritten = try RestApiImporter.put(yaml, into: original, mode: .overwrite, basepath: nil, failOnWarnings: false)
        #expect(overwritten.stages == original.stages)
        #expect(overwritten.deployments == original.deployments)
        #expect(overwritten.restApi.endpointConfiguration?.types == ["PRIVATE"])
    }
}

/// Fixtures and lookups shared by the REST API import and export tests.
enum RestImportTestSupport {
    static let restApiId = "r1s2t3u4v5"

    static func emptyDocument() -> RestApiDocument {
        let root = RestResource(id: "rootid0001", parentId: nil, pathPart: nil, path: "/")
        let api = RestApi(id: restApiId, name: "new", rootResourceId: root.id, createdDate: OpenAPITestSupport.now)
        return RestApiDocument(restApi: api, root: root, models: RestModel.defaults(ids: ("empty1", "error1")))
    }

    static func importDocument(_ text: String, basepath: String? = nil, failOnWarnings: Bool = false) throws(APIError) -> RestApiDocument {
        try RestApiImporter.importDefinition(text, into: emptyDocument(), basepath: basepath, failOnWarnings: failOnWarnings, endpointTypes: nil)
    }

    /// `Fixtures/petstore-rest-swagger.json`, imported.
    static func swaggerFixture() throws -> RestApiDocument {
        try importDocument(try OpenAPITestSupport.fixture("petstore-rest-swagger.json"))
    }

    static func importError(_ text: String, failOnWarnings: Bool = false) -> APIError? {
        do {
            _ = try importDocument(text, failOnWarnings: failOnWarnings)
            return nil
        } catch {
            return error
        }
    }

    static func resource(_ document: RestApiDocument, _ path: String) -> RestResource? {
        document.resources.first { $0.path == path }
    }

    static func method(_ document: RestApiDocument, _ path: String, _ httpMethod: String) -> RestMethod? {
        resource(document, path)?.method(httpMethod)
    }

    /// Path → method → the method with ids that differ between imports blanked, for round-trip comparisons.
    static func comparableMethods(_ document: RestApiDocument) -> [String: RestMethod] {
        var result: [String: RestMethod] = [:]
        for resource in document.resources {
            for (name, method) in resource.resourceMethods ?? [:] {
                var method = method
                method.requestValidatorId = method.requestValidatorId.flatMap { id in document.requestValidator(id)?.name }
                if method.methodIntegration?.cacheNamespace == resource.id { method.methodIntegration?.cacheNamespace = nil }
                result["\(name) \(resource.path)"] = method
            }
        }
        return result
    }
}
