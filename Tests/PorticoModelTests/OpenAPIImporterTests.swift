import Foundation
import PorticoModel
import Testing

struct OpenAPIImporterTests {
    typealias Support = OpenAPITestSupport

    @Test func importsRealisticYAMLFixtureWithEveryExtension() throws {
        let document = try Support.importDocument(try Support.fixture("petstore-http-api.yaml"))
        let api = document.api

        #expect(api.apiId == "a1b2c3d4e5")
        #expect(api.name == "Pet Store")
        #expect(api.version == "2024-06-01")
        #expect(api.description?.hasPrefix("The pet store API.") == true)
        #expect(api.protocolType == .http)
        #expect(api.routeSelectionExpression == "$request.method $request.path")
        #expect(api.createdDate == Support.now)
        #expect(api.disableExecuteApiEndpoint == true)
        #expect(api.ipAddressType == "dualstack")
        #expect(api.tags == ["team": "pets", "public": ""])
        #expect(
            api.corsConfiguration
                == CorsConfiguration(
                    allowCredentials: true, allowHeaders: ["content-type", "authorization"], allowMethods: ["GET", "POST", "DELETE"],
                    allowOrigins: ["https://www.example.com"], exposeHeaders: ["x-request-id"], maxAge: 3600))
        #expect(api.warnings == nil)
        #expect(api.importInfo?.count == 1)
        #expect(api.importInfo?.first?.contains("requestBody") == true)

        #expect(
            Set(document.routes.map(\.routeKey)) == [
                "GET /pets", "POST /pets", "GET /pets/{petId}", "DELETE /pets/{petId}", "ANY /{proxy+}", "GET /internal/status",
                "POST /events", "$default",
            ])
        #expect(document.integrations.count == 6)
        for route in document.routes {
            #expect(Identifier.isWellFormed(route.routeId, length: Identifier.routeLength))
            #expect(route.targetIntegrationId.flatMap { document.integration($0) } != nil, "\(route.routeKey) has an integration")
        }
        for integration in document.integrations {
            #expect(Identifier.isWellFormed(integration.integrationId, length: Identifier.integrationLength))
        }
        #expect(Set(document.routes.map(\.routeId)).count == 8)
    }

    @Test func readsEveryIntegrationPropertyAsAWSStoresIt() throws {
        let document = try Support.importDocument(try Support.fixture("petstore-http-api.yaml"))
        func integration(_ routeKey: String) -> Integration? {
            document.routes.first { $0.routeKey == routeKey }?.targetIntegrationId.flatMap { document.integration($0) }
        }

        let list = try #require(integration("GET /pets"))
        #expect(list.integrationType == "HTTP_PROXY")
        #expect(list.integrationMethod == "GET")
        #expect(list.integrationUri == "https://backend.example.com/pets")
        #expect(list.payloadFormatVersion == "1.0")
        #expect(list.timeoutInMillis == 12_000)
        #expect(list.connectionType == "INTERNET")
        #expect(list.requestParameters == ["append:querystring.source": "portico", "overwrite:header.x-api-version": "2"])
        #expect(list.responseParameters == ["200": ["overwrite:header.Cache-Control": "public, max-age=60"]])

        let lambda = try #require(integration("DELETE /pets/{petId}"))
        #expect(lambda.integrationType == "AWS_PROXY")
        #expect(lambda.payloadFormatVersion == "2.0")
        #expect(lambda.timeoutInMillis == Integration.defaultTimeoutMillis)

        let privateIntegration = try #require(integration("GET /internal/status"))
        #expect(privateIntegration.connectionType == "VPC_LINK")
        #expect(privateIntegration.connectionId == "abc123")
        #expect(privateIntegration.tlsConfig == TLSConfig(serverNameToVerify: "internal.example.com"))

        let events = try #require(integration("POST /events"))
        #expect(events.integrationSubtype == "EventBridge-PutEvents")
        #expect(events.credentialsArn == "arn:aws:iam::123456789012:role/portico-events")
        #expect(events.integrationUri == nil)
        #expect(events.integrationMethod == nil)
        #expect(events.requestParameters?["DetailType"] == "PetEvent")

        let writer = try #require(integration("$default"))
        #expect(writer.integrationMethod == "ANY")
        #expect(writer.timeoutInMillis == 29_000)
        #expect(document.routes.first { $0.routeKey == "GET /pets" }?.operationName == "ListPets")
    }

    @Test func identicalIntegrationsAndReferencesShareOneIntegration() throws {
        let document = try Support.importDocument(try Support.fixture("petstore-http-api.yaml"))
        func target(_ routeKey: String) -> String? { document.routes.first { $0.routeKey == routeKey }?.target }
        // Two identical inline definitions.
        #expect(target("DELETE /pets/{petId}") == target("ANY /{proxy+}"))
        // Two $refs to components.x-amazon-apigateway-integrations.petsWriter.
        #expect(target("POST /pets") == target("$default"))
        #expect(target("GET /pets") != target("GET /pets/{petId}"))
    }

    @Test func importsAWSDocumentationExampleInJSON() throws {
        let document = try Support.importDocument(try Support.fixture("aws-example-petstore.json"))
        #expect(document.api.name == "Example Pet Store")
        #expect(document.api.version == "1.0")
        #expect(document.api.description == "A Pet Store API.")
        #expect(Set(document.routes.map(\.routeKey)) == ["GET /pets", "POST /pets", "GET /pets/{petId}"])
        #expect(document.integrations.count == 3)
        #expect(document.integrations.allSatisfy { $0.payloadFormatVersion == "1.0" && $0.integrationType == "HTTP_PROXY" })
        #expect(document.routes.first { $0.routeKey == "POST /pets" }?.operationName == "Create Pet")
        #expect(document.api.corsConfiguration?.allowOrigins == ["*"])
        #expect(document.api.warnings == nil)
        // AWS's documented "info" example: request validation is not supported, requestBody is ignored.
        #expect(document.api.importInfo?.contains { $0.contains("request validation") } == true)
    }

    @Test func compactJSONAndTabsParse() throws {
        let text =
            "{\"openapi\":\"3.0.1\",\"info\":{\"title\":\"t\",\"version\":\"1\"},\n\t\"paths\":{\"/a\":{\"get\":{\"x-amazon-apigateway-integration\":"
            + "{\"type\":\"http_proxy\",\"uri\":\"https://e.example/\\/a\",\"payloadFormatVersion\":\"1.0\"}}}}}"
        let document = try Support.importDocument(text)
        #expect(document.routes.map(\.routeKey) == ["GET /a"])
        #expect(document.integrations.first?.integrationUri == "https://e.example//a")
        #expect(document.integrations.first?.integrationMethod == "ANY")
    }

    @Test func defaultRouteNeedsTheSlashAsAWSExportsIt() throws {
        let text = """
            openapi: 3.0.1
            info: {title: t}
            paths:
              $default:
                x-amazon-apigateway-any-method:
                  x-amazon-apigateway-integration: {type: http_proxy, uri: "https://e.example"}
              /$default:
                x-amazon-apigateway-any-method:
                  x-amazon-apigateway-integration: {type: http_proxy, uri: "https://e.example"}
            """
        let document = try Support.importDocument(text)
        #expect(document.routes.map(\.routeKey) == ["$default"])
        #expect(document.api.warnings == ["Parse issue: attribute paths. Resource $default should start with / (line 4)"])
        #expect(
            Support.importError(text, failOnWarnings: true)
                == .badRequest("Warnings found during import:\n\tParse issue: attribute paths. Resource $default should start with / (line 4)"))
    }

    @Test func isDefaultRouteMarksTheDefaultRoute() throws {
        let text = """
            openapi: 3.0.1
            info: {title: t}
            paths:
              /fallback:
                x-amazon-apigateway-any-method:
                  isDefaultRoute: true
              /other:
                x-amazon-apigateway-any-method:
                  isDefaultRoute: false
            """
        let document = try Support.importDocument(text)
        #expect(Set(document.routes.map(\.routeKey)) == ["$default", "ANY /other"])
        #expect(document.routes.allSatisfy { $0.target == nil })
        #expect(document.integrations.isEmpty)
    }

    @Test func nonProxyIntegrationsAreWarningsAndTheRouteHasNoTarget() throws {
        let text = """
            openapi: 3.0.1
            info:
              title: t
            paths:
              /:
                get:
                  x-amazon-apigateway-integration:
                    type: AWS
                    httpMethod: POST
                    uri: arn:aws:lambda:us-east-2:123456789012:function:HelloWorld
                post:
                  x-amazon-apigateway-integration:
                    httpMethod: POST
            """
        let document = try Support.importDocument(text)
        #expect(document.routes.count == 2)
        #expect(document.routes.allSatisfy { $0.target == nil })
        #expect(
            document.api.warnings == [
                "Unsupported integration type 'AWS' for 'GET /' (line 8). HTTP APIs support only AWS_PROXY and HTTP_PROXY integrations. Ignoring.",
                "Unknown integration type 'null' for 'POST /' (line 13). Ignoring.",
            ])
        let error = try #require(Support.importError(text, failOnWarnings: true))
        #expect(error.type == "BadRequestException")
        #expect(error.status == 400)
        #expect(error.message.hasPrefix("Warnings found during import:\n\tUnsupported integration type 'AWS' for 'GET /'"))
        #expect(error.message.contains("\n\tUnknown integration type 'null' for 'POST /'"))
    }

    @Test func missingModelReferenceIsAWSWarning() throws {
        let text = """
            {
              "openapi": "3.0.1",
              "info": { "title": "Title test", "version": "2.0" },
              "paths": {
                "/update": {
                  "get": {
                    "x-amazon-apigateway-integration": {
                      "type": "HTTP_PROXY", "httpMethod": "GET", "payloadFormatVersion": "1.0", "uri": "https://www.google.de"
                    },
                    "responses": {
                      "200": {
                        "description": "Response description",
                        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ModelThatDoesNotExist" } } }
                      }
                    }
                  }
                }
              }
            }
            """
        let document = try Support.importDocument(text)
        #expect(
            document.api.warnings == [
                "Parse issue: attribute paths.'/update'(get).responses.200.content.schema.#/components/schemas/ModelThatDoesNotExist is missing (line 13)"
            ])
        let error = try #require(Support.importError(text, failOnWarnings: true))
        #expect(error.message.hasPrefix("Warnings found during import:\n\tParse issue: attribute paths.'/update'(get).responses.200"))
    }

    @Test func unsupportedFeaturesAreInfoOrWarnings() throws {
        let text = """
            openapi: 3.0.1
            info: {title: t}
            x-amazon-apigateway-binary-media-types: ["image/png"]
            host: example.com
            paths:
              /a:
                trace: {}
                x-amazon-apigateway-integration: {type: http_proxy, uri: "https://e.example"}
                get:
                  x-amazon-apigateway-request-validator: all
                  x-amazon-apigateway-integration:
                    type: http_proxy
                    uri: https://e.example
                    passthroughBehavior: when_no_match
                    enableSimpleResponses: true
                    tlsConfig: {insecureSkipVerification: true}
            x-amazon-apigateway-cors:
              allow_origins: ["*"]
            """
        let document = try Support.importDocument(text)
        let warnings = document.api.warnings ?? []
        let infos = document.api.importInfo ?? []
        #expect(warnings.contains("Parse issue: attribute host is unexpected (line 4)"))
        #expect(warnings.contains { $0.contains("paths./a.trace") && $0.contains("TRACE") })
        #expect(warnings.contains { $0.contains("paths./a.x-amazon-apigateway-integration (line 8) is not allowed on a path") })
        #expect(warnings.contains("Parse issue: attribute paths./a.get.x-amazon-apigateway-integration.enableSimpleResponses is unexpected (line 15)"))
        #expect(warnings.contains("Parse issue: attribute x-amazon-apigateway-cors.allow_origins is unexpected (line 18)"))
        #expect(infos.contains("x-amazon-apigateway-binary-media-types (line 3) is supported only for REST APIs. Ignoring."))
        #expect(infos.contains("paths./a.get.x-amazon-apigateway-request-validator (line 10) is supported only for REST APIs. Ignoring."))
        #expect(infos.contains("paths./a.get.x-amazon-apigateway-integration.passthroughBehavior (line 14) is supported only for REST APIs. Ignoring."))
        #expect(infos.contains { $0.contains("tlsConfig.insecureSkipVerification") })
        #expect(document.routes.map(\.routeKey) == ["GET /a"])
        #expect(document.api.corsConfiguration == CorsConfiguration())
    }

    @Test func securityRequirementsFollowAWS() throws {
        let single = """
            openapi: 3.0.1
            info: {title: t}
            security:
              - jwt: []
            paths:
              /open:
                get:
                  security: []
              /closed:
                get: {}
            """
        // Portico does not enforce JWT authorizers yet: a route they protect is refused rather than opened.
        #expect {
            try Support.importDocument(single)
        } throws: { error in
            "\(error)".contains("route 'GET /closed' requires security scheme 'jwt'") && "\(error)".contains("(line 4)")
        }
        let open = single.replacingOccurrences(of: "security:\n  - jwt: []\n", with: "")
        #expect(try Support.importDocument(open).routes.count == 2)

        let multiple = """
            openapi: 3.0.1
            info: {title: t}
            paths:
              /a:
                get:
                  security:
                    - iam: []
                    - jwt: [read]
            """
        #expect(
            Support.importError(multiple)?.message
                == "Invalid OpenAPI input: paths./a.get.security (line 7): HTTP APIs support only one security requirement per operation "
                + "(IAM authorization, a Lambda authorizer or a JWT authorizer); found 2")
    }

    @Test func lambdaAuthorizersProtectTheirRoutes() throws {
        let uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations"
        let text = """
            openapi: 3.0.1
            info: {title: t}
            components:
              securitySchemes:
                lambda:
                  type: apiKey
                  name: Authorization
                  in: header
                  x-amazon-apigateway-authorizer:
                    type: request
                    authorizerUri: "\(uri)"
                    authorizerPayloadFormatVersion: "2.0"
                    enableSimpleResponses: true
                    identitySource: "$request.header.Authorization, $request.querystring.k"
                    authorizerResultTtlInSeconds: 60
            paths:
              /closed:
                get:
                  security: [{lambda: []}]
              /open:
                get: {}
            """
        let document = try Support.importDocument(text)
        let authorizer = try #require(document.authorizers.first)
        #expect(authorizer.name == "lambda" && authorizer.authorizerType == "REQUEST" && authorizer.enableSimpleResponses == true)
        #expect(authorizer.identitySource == ["$request.header.Authorization", "$request.querystring.k"])
        #expect(authorizer.authorizerResultTtlInSeconds == 60 && authorizer.authorizerUri == uri)
        let closed = try #require(document.routes.first { $0.routeKey == "GET /closed" })
        #expect(closed.authorizationType == "CUSTOM" && closed.authorizerId == authorizer.authorizerId)
        let open = try #require(document.routes.first { $0.routeKey == "GET /open" })
        #expect(open.authorizationType == "NONE" && open.authorizerId == nil)
    }

    @Test func tagsWithoutValueGetEmptyString() throws {
        let text = """
            openapi: 3.0.1
            info: {title: t}
            tags:
              - name: Owner
                x-amazon-apigateway-tag-value: Admin
              - name: Prod
            paths: {}
            """
        #expect(try Support.importDocument(text).api.tags == ["Owner": "Admin", "Prod": ""])
    }

    @Test func missingPathsIsAWarningAndEmptyPathsIsFine() throws {
        let noPaths = try Support.importDocument("openapi: 3.0.1\ninfo: {title: t}\n")
        #expect(noPaths.routes.isEmpty)
        #expect(noPaths.api.warnings == ["Parse issue: attribute paths is missing"])
        #expect(try Support.importDocument("openapi: 3.0.1\ninfo: {title: t}\npaths: {}\n").api.warnings == nil)
    }

    @Test func reimportReplacesTheDefinitionAndKeepsStagesAndDeployments() throws {
        var original = try Support.importDocument(try Support.fixture("petstore-http-api.yaml"))
        original.api.tags?["kept"] = "yes"
        original.api.apiEndpoint = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"
        original.stages = [Stage(stageName: "prod", createdDate: Support.now)]
        original.deployments = [Deployment(deploymentId: "abc123", createdDate: Support.now)]
        original.stages[0].deploymentId = "abc123"

        let text = """
            openapi: 3.0.1
            info:
              title: Pet Store v2
              version: "2.0"
            tags:
              - name: team
                x-amazon-apigateway-tag-value: platform
            paths:
              /health:
                get:
                  x-amazon-apigateway-integration:
                    type: http_proxy
                    uri: https://backend.example.com/health
            """
        let later = Support.now.addingTimeInterval(3600)
        let updated = try OpenAPIImporter.reimport(text, into: original, basepath: nil, failOnWarnings: true, now: later)
        #expect(updated.api.apiId == original.api.apiId)
        #expect(updated.api.createdDate == Support.now)
        #expect(updated.api.apiEndpoint == original.api.apiEndpoint)
        #expect(updated.api.name == "Pet Store v2")
        #expect(updated.api.version == "2.0")
        #expect(updated.api.description == nil)
        #expect(updated.api.corsConfiguration == nil)
        #expect(updated.api.importInfo == nil)
        #expect(updated.api.tags == ["team": "platform", "public": "", "kept": "yes"])
        // Not named by the new definition's servers: unchanged.
        #expect(updated.api.disableExecuteApiEndpoint == true)
        #expect(updated.routes.map(\.routeKey) == ["GET /health"])
        #expect(updated.integrations.count == 1)
        #expect(updated.stages == original.stages)
        #expect(updated.deployments == original.deployments)
    }

    @Test func reimportWithWarningsAndFailOnWarningsChangesNothing() throws {
        let original = try Support.importDocument(try Support.fixture("petstore-http-api.yaml"))
        let text = "openapi: 3.0.1\ninfo: {title: t}\nschemes: [https]\npaths: {}\n"
        #expect(throws: APIError.self) {
            try OpenAPIImporter.reimport(text, into: original, basepath: nil, failOnWarnings: true, now: Support.now)
        }
        let tolerated = try OpenAPIImporter.reimport(text, into: original, basepath: nil, failOnWarnings: false, now: Support.now)
        #expect(tolerated.api.warnings == ["Parse issue: attribute schemes is unexpected (line 3)"])
        #expect(tolerated.routes.isEmpty)
    }

    @Test func reimportRefusesWebSocketAPIs() throws {
        let document = ApiDocument(api: Api(apiId: "a1b2c3d4e5", name: "ws", protocolType: .websocket))
        #expect(throws: APIError.badRequest("ReimportApi is supported only for HTTP APIs.")) {
            try OpenAPIImporter.reimport("openapi: 3.0.1\ninfo: {title: t}\n", into: document, basepath: nil, failOnWarnings: false, now: Support.now)
        }
    }
}
