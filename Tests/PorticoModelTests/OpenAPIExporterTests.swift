import Foundation
import PorticoModel
import Testing

struct OpenAPIExporterTests {
    typealias Support = OpenAPITestSupport

    /// 2023-07-01 01:24:55 UTC.
    static let created = Date(timeIntervalSince1970: 1_688_174_695)

    private func shop() -> ApiDocument {
        var document = ApiDocument(api: Api(apiId: "a1b2c3d4e5", name: "Shop", protocolType: .http, createdDate: Self.created))
        document.api.corsConfiguration = CorsConfiguration(allowOrigins: ["*"], maxAge: 300)
        var http = Integration(integrationId: "int0001", integrationType: "HTTP_PROXY")
        http.integrationMethod = "GET"
        http.integrationUri = "https://backend.example.com/items/{id}"
        http.payloadFormatVersion = "1.0"
        http.connectionType = "INTERNET"
        http.timeoutInMillis = 12_000
        document.integrations = [http]
        document.routes = [Route(routeId: "rte0001", routeKey: "GET /items/{id}", target: "integrations/int0001")]
        return document
    }

    private func catalog() -> ApiDocument {
        var document = shop()
        var lambda = Integration(integrationId: "int0002", integrationType: "AWS_PROXY")
        lambda.integrationMethod = "POST"
        lambda.integrationUri = "arn:aws:lambda:us-east-1:123456789012:function:catalog"
        lambda.payloadFormatVersion = "2.0"
        lambda.connectionType = "INTERNET"
        lambda.timeoutInMillis = Integration.defaultTimeoutMillis
        lambda.responseParameters = ["200": ["overwrite:header.x-b": "b", "overwrite:header.x-a": "a"]]
        document.integrations.append(lambda)
        document.routes += [
            Route(routeId: "rte0002", routeKey: "ANY /{proxy+}", target: "integrations/int0002"),
            Route(routeId: "rte0003", routeKey: "$default", target: "integrations/int0002"),
            Route(routeId: "rte0004", routeKey: "POST /items", target: nil),
            Route(routeId: "rte0005", routeKey: "DELETE /items/{id}", target: "integrations/int0002"),
        ]
        document.api.tags = ["team": "catalog"]
        document.api.version = "3.1"
        document.api.description = "The catalog."
        return document
    }

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func jsonHasAWSLayout() throws {
        let expected = """
            {
              "openapi" : "3.0.1",
              "info" : {
                "title" : "Shop",
                "version" : "2023-07-01 01:24:55UTC"
              },
              "servers" : [ {
                "url" : "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/{basePath}",
                "variables" : {
                  "basePath" : {
                    "default" : ""
                  }
                }
              } ],
              "paths" : {
                "/items/{id}" : {
                  "get" : {
                    "responses" : {
                      "default" : {
                        "description" : "Default response for GET /items/{id}"
                      }
                    },
                    "x-amazon-apigateway-integration" : {
                      "payloadFormatVersion" : "1.0",
                      "type" : "http_proxy",
                      "httpMethod" : "GET",
                      "uri" : "https://backend.example.com/items/{id}",
                      "connectionType" : "INTERNET",
                      "timeoutInMillis" : 12000
                    }
                  },
                  "parameters" : [ {
                    "name" : "id",
                    "in" : "path",
                    "description" : "Generated path parameter for id",
                    "required" : true,
                    "schema" : {
                      "type" : "string"
                    }
                  } ]
                }
              },
              "x-amazon-apigateway-cors" : {
                "maxAge" : 300,
                "allowOrigins" : [ "*" ]
              },
              "x-amazon-apigateway-importexport-version" : "1.0"
            }
            """
        #expect(try Support.export(shop()) == expected)
    }

    @Test func anyAndDefaultRoutesUseTheAnyMethodExtension() throws {
        let document = try json(try Support.export(catalog()))
        let info = try #require(document["info"] as? [String: Any])
        #expect(info["version"] as? String == "3.1")
        #expect(info["description"] as? String == "The catalog.")
        let paths = try #require(document["paths"] as? [String: Any])
        #expect(Set(paths.keys) == ["/items/{id}", "/items", "/{proxy+}", "/$default"])

        let proxy = try #require(paths["/{proxy+}"] as? [String: Any])
        let any = try #require(proxy["x-amazon-apigateway-any-method"] as? [String: Any])
        let integration = try #require(any["x-amazon-apigateway-integration"] as? [String: Any])
        #expect(integration["type"] as? String == "aws_proxy")
        #expect(integration["timeoutInMillis"] == nil)
        #expect(integration["payloadFormatVersion"] as? String == "2.0")
        let parameters = try #require(proxy["parameters"] as? [[String: Any]])
        #expect(parameters.first?["name"] as? String == "proxy+")

        let fallback = try #require((paths["/$default"] as? [String: Any])?["x-amazon-apigateway-any-method"] as? [String: Any])
        #expect(fallback["isDefaultRoute"] as? Bool == true)
        #expect((paths["/$default"] as? [String: Any])?["parameters"] == nil)

        let post = try #require((paths["/items"] as? [String: Any])?["post"] as? [String: Any])
        #expect(post["x-amazon-apigateway-integration"] == nil)
        #expect(post["responses"] != nil)

        let tags = try #require(document["tags"] as? [[String: Any]])
        #expect(tags.first?["name"] as? String == "team")
        #expect(tags.first?["x-amazon-apigateway-tag-value"] as? String == "catalog")
    }

    @Test func methodsFollowOrderAndOutputIsStable() throws {
        var document = catalog()
        let first = try Support.export(document)
        document.routes.reverse()
        document.integrations.reverse()
        #expect(try Support.export(document) == first)
        let get = try #require(first.range(of: "\"get\" :"))
        let delete = try #require(first.range(of: "\"delete\" :"))
        #expect(get.lowerBound < delete.lowerBound)
        #expect(first.contains("\"overwrite:header.x-a\" : \"a\",\n"))
    }

    @Test func stageNameBecomesTheBasePathDefault() throws {
        let prod = try json(try Support.export(shop(), stageName: "prod"))
        let server = try #require((prod["servers"] as? [[String: Any]])?.first)
        let variables = try #require(server["variables"] as? [String: Any])
        #expect((variables["basePath"] as? [String: Any])?["default"] as? String == "prod")

        let defaultStage = try Support.export(shop(), stageName: "$default", serverURL: "https://api.example.com/")
        #expect(defaultStage.contains("\"url\" : \"https://api.example.com/{basePath}\""))
        #expect(defaultStage.contains("\"default\" : \"\""))

        let relative = try Support.export(shop(), serverURL: nil)
        #expect(relative.contains("\"url\" : \"/{basePath}\""))
    }

    @Test func endpointConfigurationIsExportedWhenNotDefault() throws {
        var document = shop()
        #expect(try !Support.export(document).contains("x-amazon-apigateway-endpoint-configuration"))
        document.api.disableExecuteApiEndpoint = true
        document.api.ipAddressType = "dualstack"
        let server = try #require((try json(try Support.export(document))["servers"] as? [[String: Any]])?.first)
        let configuration = try #require(server["x-amazon-apigateway-endpoint-configuration"] as? [String: Any])
        #expect(configuration["disableExecuteApiEndpoint"] as? Bool == true)
        #expect(configuration["ipAddressType"] as? String == "dualstack")
    }

    @Test func withoutExtensionsNothingAmazonRemains() throws {
        let text = try Support.export(catalog(), includeExtensions: false)
        #expect(!text.contains("x-amazon-apigateway"))
        let paths = try #require(try json(text)["paths"] as? [String: Any])
        #expect(Set(paths.keys) == ["/items/{id}", "/items"])
        let items = try #require(paths["/items/{id}"] as? [String: Any])
        #expect(items["get"] != nil && items["delete"] != nil)
        let yaml = try Support.export(catalog(), format: .yaml, includeExtensions: false)
        #expect(!yaml.contains("x-amazon-apigateway"))
    }

    @Test func yamlQuotesStringsAsAWSDoes() throws {
        let text = try Support.export(catalog(), format: .yaml)
        #expect(text.hasPrefix("openapi: \"3.0.1\"\ninfo:\n  title: \"Shop\"\n"))
        #expect(text.contains("payloadFormatVersion: \"2.0\""))
        #expect(text.contains("\"200\":"))
        #expect(text.contains("  /items/{id}:\n"))
        #expect(text.contains("maxAge: 300"))
        #expect(text.contains("required: true"))
        #expect(text.contains("x-amazon-apigateway-importexport-version: \"1.0\""))
    }

    @Test func refusesWebSocketAPIsAndUnsupportedParameters() {
        let websocket = Api(apiId: "a1b2c3d4e5", name: "ws", protocolType: .websocket)
        #expect(throws: APIError.badRequest("Export is supported only for HTTP APIs.")) {
            try OpenAPIExporter.export(
                api: websocket, routes: [], integrations: [], stageName: nil, format: .json, includeExtensions: true, serverURL: nil)
        }
        #expect(throws: Never.self) { try OpenAPIExporter.validate(specification: "OAS30", exportVersion: nil) }
        #expect(throws: Never.self) { try OpenAPIExporter.validate(specification: "OAS30", exportVersion: "1.0") }
        #expect(throws: APIError.badRequest("Invalid specification 'OAS20'. OAS30 is the only supported specification.")) {
            try OpenAPIExporter.validate(specification: "OAS20", exportVersion: nil)
        }
        #expect(throws: APIError.badRequest("Invalid exportVersion '2.0'. 1.0 is the only supported export version.")) {
            try OpenAPIExporter.validate(specification: "OAS30", exportVersion: "2.0")
        }
    }
}
