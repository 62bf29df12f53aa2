import Foundation
import PorticoModel
import Testing

/// Every way an import fails: a `BadRequestException` whose message names the field and the line.
struct OpenAPIImportErrorTests {
    typealias Support = OpenAPITestSupport

    private func message(_ text: String, basepath: String? = nil) -> String? {
        let error = Support.importError(text, basepath: basepath)
        #expect(error?.status == 400)
        #expect(error?.type == "BadRequestException")
        return error?.message
    }

    @Test func timeoutOutOfRangeNamesFieldAndLine() {
        let text = """
            openapi: 3.0.1
            info:
              title: Pets
              version: "1"
            paths:
              /pets:
                get:
                  responses:
                    default:
                      description: ok
                  x-amazon-apigateway-integration:
                    type: http_proxy
                    uri: https://backend.example.com/pets
                    timeoutInMillis: 40000
            """
        #expect(
            message(text)
                == "Invalid OpenAPI input: paths./pets.get.x-amazon-apigateway-integration.timeoutInMillis (line 14): expected an integer between 50 and 30000"
        )
        #expect(message(text.replacingOccurrences(of: "40000", with: "49"))?.contains("timeoutInMillis (line 14)") == true)
        #expect(message(text.replacingOccurrences(of: "40000", with: "soon"))?.contains("timeoutInMillis (line 14)") == true)
        #expect(message(text.replacingOccurrences(of: "40000", with: "[1]"))?.contains("timeoutInMillis (line 14)") == true)
    }

    @Test func malformedYAMLReportsTheParserLine() throws {
        let text = try Support.fixture("malformed.yaml")
        let found = try #require(message(text))
        #expect(found.hasPrefix("Invalid OpenAPI input: malformed YAML at line 10, column 8: did not find expected key (while parsing a block mapping at line 8, column 7)"))
    }

    @Test func malformedJSONReportsTheParserLine() throws {
        let text = "{\n  \"openapi\": \"3.0.1\",\n  \"info\": {\"title\": \"t\"}\n  \"paths\": {}\n}"
        let found = try #require(message(text))
        #expect(found.hasPrefix("Invalid OpenAPI input: malformed JSON at line 4, column 3: did not find expected ',' or '}'"))
    }

    @Test func duplicateKeysAreRejected() {
        let text = "openapi: 3.0.1\ninfo: {title: t}\npaths:\n  /a: {}\n  /a: {}\n"
        #expect(message(text) == "Invalid OpenAPI input: malformed YAML: duplicate key '/a' in the mapping at line 4")
    }

    @Test func wrongTypesNameFieldAndLine() {
        #expect(
            message("openapi: 3.0.1\ninfo: {title: t}\npaths:\n  /a:\n    - get\n")
                == "Invalid OpenAPI input: paths./a (line 5): expected a mapping (object), found a sequence (array)")
        #expect(
            message("openapi: 3.0.1\ninfo: {title: t}\nx-amazon-apigateway-cors:\n  allowOrigins: https://example.com\n")
                == "Invalid OpenAPI input: x-amazon-apigateway-cors.allowOrigins (line 4): expected a sequence (array), found a scalar value")
        #expect(
            message("openapi: 3.0.1\ninfo: {title: t}\nx-amazon-apigateway-cors:\n  allowCredentials: maybe\n")
                == "Invalid OpenAPI input: x-amazon-apigateway-cors.allowCredentials (line 4): expected a boolean (true or false), found 'maybe'")
        #expect(
            message("openapi: 3.0.1\ninfo: {title: t}\nx-amazon-apigateway-cors: {maxAge: 90000}\n")
                == "Invalid OpenAPI input: x-amazon-apigateway-cors.maxAge (line 3): expected an integer between -1 and 86400")
        #expect(
            message("openapi: 3.0.1\ninfo:\n  title:\n    text: t\n")
                == "Invalid OpenAPI input: info.title (line 4): expected a string, found a mapping (object)")
        #expect(
            message(
                "openapi: 3.0.1\ninfo: {title: t}\npaths:\n  /a:\n    get:\n      x-amazon-apigateway-integration:\n        type: http_proxy\n"
                    + "        uri: https://e.example\n        requestParameters: [a]\n")
                == "Invalid OpenAPI input: paths./a.get.x-amazon-apigateway-integration.requestParameters (line 9): expected a mapping (object), found a sequence (array)"
        )
        #expect(
            message("openapi: 3.0.1\ninfo: {title: t}\ntags:\n  - name: aws:owner\n")
                == "Invalid OpenAPI input: tags[0].name (line 4): a tag key must be 1 to 128 characters long and must not start with 'aws:'")
        #expect(
            message("openapi: 3.0.1\ninfo: {title: t}\ntags:\n  - name: [x]\n")
                == "Invalid OpenAPI input: tags[0].name (line 4): expected a string, found a sequence (array)")
    }

    @Test func rootMustBeAnOpenAPIObject() {
        #expect(message("") == "Invalid OpenAPI input: the definition is empty.")
        #expect(message("   \n# only a comment\n") == "Invalid OpenAPI input: the definition is empty.")
        #expect(
            message("just words")
                == "Invalid OpenAPI input: document root (line 1): expected an OpenAPI definition (a mapping with openapi, info and paths), found a scalar value"
        )
        #expect(message("[1, 2]")?.hasPrefix("Invalid OpenAPI input: document root (line 1): expected an OpenAPI definition") == true)
    }

    @Test func missingInfoOrTitleIsAnError() {
        #expect(message("openapi: 3.0.1\npaths: {}\n") == "Invalid OpenAPI input: info (line 1): attribute info is missing")
        #expect(
            message("openapi: 3.0.1\ninfo:\n  version: \"1\"\npaths: {}\n")
                == "Invalid OpenAPI input: info.title (line 3): attribute info.title is missing")
        #expect(message("openapi: 3.0.1\ninfo: {title: \"\"}\n") == "Invalid OpenAPI input: info.title (line 2): the API name must be 1 to 128 characters long")
        #expect(message("info: {title: t}\npaths: {}\n") == "Invalid OpenAPI input: openapi (line 1): attribute openapi is missing")
    }

    @Test func swagger20IsRejectedAsAWSDocuments() throws {
        let text = try Support.fixture("swagger-2.0.json")
        #expect(
            message(text)
                == "Invalid OpenAPI input: swagger (line 2): HTTP APIs support only the OpenAPI 3.0 specification; this is a Swagger 2.0 definition. "
                + "Convert it to OpenAPI 3.0 and import it again.")
        #expect(
            message("openapi: 3.1.0\ninfo: {title: t}\n")
                == "Invalid OpenAPI input: openapi (line 1): HTTP APIs support only the OpenAPI 3.0 specification; found openapi '3.1.0'")
        #expect(
            message("openapi: 3.0.1\nx-amazon-apigateway-importexport-version: \"2.0\"\ninfo: {title: t}\n")
                == "Invalid OpenAPI input: x-amazon-apigateway-importexport-version (line 2): the only supported version is 1.0, found '2.0'")
    }

    @Test func badRouteKeysAreErrors() {
        func paths(_ path: String) -> String { "openapi: 3.0.1\ninfo: {title: t}\npaths:\n  \(path):\n    get: {}\n" }
        #expect(
            message(paths("/pets/{proxy+}/toys"))
                == "Invalid OpenAPI input: paths./pets/{proxy+}/toys (line 4): Invalid route key: GET /pets/{proxy+}/toys. A greedy path variable must be the last path segment."
        )
        #expect(
            message(paths("/pets//toys"))
                == "Invalid OpenAPI input: paths./pets//toys (line 4): Invalid route key: GET /pets//toys. Path segments must not be empty.")
        #expect(
            message(paths("/pets/id{id}"))
                == "Invalid OpenAPI input: paths./pets/id{id} (line 4): Invalid route key: GET /pets/id{id}. Path variables must take a whole path segment."
        )
        #expect(message(paths("\"/a b\""))?.hasPrefix("Invalid OpenAPI input: paths./a b (line 4): Invalid route key") == true)
        let twoDefaults = """
            openapi: 3.0.1
            info: {title: t}
            paths:
              /$default:
                x-amazon-apigateway-any-method: {}
              /other:
                x-amazon-apigateway-any-method:
                  isDefaultRoute: true
            """
        #expect(message(twoDefaults) == "Invalid OpenAPI input: paths./other.x-amazon-apigateway-any-method (line 8): duplicate route key '$default'")
    }

    @Test func badIntegrationsAreErrors() {
        func integration(_ body: String) -> String {
            "openapi: 3.0.1\ninfo: {title: t}\npaths:\n  /a:\n    get:\n      x-amazon-apigateway-integration:\n" + body
        }
        #expect(
            message(integration("        type: lambda\n"))
                == "Invalid OpenAPI input: paths./a.get.x-amazon-apigateway-integration.type (line 7): unknown integration type 'lambda'; HTTP APIs support aws_proxy and http_proxy integrations"
        )
        #expect(
            message(integration("        type: http_proxy\n"))
                == "Invalid OpenAPI input: paths./a.get.x-amazon-apigateway-integration.uri (line 7): attribute paths./a.get.x-amazon-apigateway-integration.uri is missing; HTTP_PROXY integrations need a uri"
        )
        #expect(
            message(integration("        type: http_proxy\n        uri: ftp://example.com\n"))
                == "Invalid OpenAPI input: paths./a.get.x-amazon-apigateway-integration.uri (line 8): Invalid HTTP endpoint specified for URI")
        #expect(
            message(integration("        type: aws_proxy\n        uri: my-function\n"))?.contains("needs a Lambda function ARN") == true)
        #expect(
            message(integration("        type: http_proxy\n        uri: https://e.example\n        payloadFormatVersion: \"2.0\"\n"))
                == "Invalid OpenAPI input: paths./a.get.x-amazon-apigateway-integration.payloadFormatVersion (line 9): only payload format version \"1.0\" is supported for this kind of integration"
        )
        #expect(
            message(integration("        type: aws_proxy\n        uri: arn:aws:lambda:us-east-1:1:function:f\n        payloadFormatVersion: 3\n"))?
                .contains("expected payload format version \"1.0\" or \"2.0\", found '3'") == true)
        #expect(
            message(integration("        type: http_proxy\n        uri: https://e.example\n        connectionType: VPC_LINK\n"))?
                .contains("connectionId is missing") == true)
        #expect(
            message(integration("        type: http_proxy\n        uri: https://e.example\n        connectionType: DIRECT\n"))
                == "Invalid OpenAPI input: paths./a.get.x-amazon-apigateway-integration.connectionType (line 9): expected INTERNET or VPC_LINK")
        #expect(
            message(integration("        type: http_proxy\n        uri: https://e.example\n        responseParameters:\n          \"100\": {}\n"))
                == "Invalid OpenAPI input: paths./a.get.x-amazon-apigateway-integration.responseParameters.100 (line 10): expected a status code between 200 and 599 as the key"
        )
        #expect(
            message(integration("        $ref: \"#/components/x-amazon-apigateway-integrations/missing\"\n"))
                == "Invalid OpenAPI input: paths./a.get.x-amazon-apigateway-integration.$ref (line 7): reference '#/components/x-amazon-apigateway-integrations/missing' does not resolve: components.x-amazon-apigateway-integrations has no 'missing'"
        )
        #expect(
            message(integration("        $ref: \"other.yaml#/x\"\n"))?.contains("only references to #/components/x-amazon-apigateway-integrations/{name} are supported") == true)
    }

    @Test func invalidBasepathParameter() {
        #expect(
            message("openapi: 3.0.1\ninfo: {title: t}\n", basepath: "drop")
                == "Invalid basepath 'drop'. Valid values are ignore, prepend and split.")
    }

    @Test func complexKeysAreRefusedBeforeParsing() {
        #expect(
            message("openapi: 3.0.1\ninfo: {title: t}\npaths:\n  ? [a, b]\n  : {}\n")
                == "Invalid OpenAPI input: line 4: mapping keys must be strings; complex keys, explicit '?' keys and aliases used as keys are not supported"
        )
        #expect(message("openapi: 3.0.1\ninfo: {title: t}\npaths: {[a]: 1}\n")?.contains("mapping keys must be strings") == true)
        #expect(message("openapi: 3.0.1\nx: &k {a: 1}\ninfo: {title: t}\npaths:\n  *k : 1\n")?.hasPrefix("Invalid OpenAPI input: line 5:") == true)
        #expect(message("openapi: 3.0.1\nx: &k {a: 1}\ninfo: {title: t}\npaths: {*k: 1}\n")?.hasPrefix("Invalid OpenAPI input: line 4:") == true)
        #expect(message("{\"openapi\": \"3.0.1\", \"paths\": {[\"a\"]:1}}")?.hasPrefix("Invalid OpenAPI input: line 1:") == true)
        #expect(message("openapi: 3.0.1\ninfo: {title: t}\npaths: {?a: 1}\n")?.hasPrefix("Invalid OpenAPI input: line 3:") == true)
    }

    @Test func billionLaughsWithAliasKeysFailsFast() {
        var text = "openapi: 3.0.1\ninfo: {title: t}\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        text += "paths:\n  *a9 : boom\n"
        let start = Date()
        #expect(message(text)?.contains("mapping keys must be strings") == true)
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func aliasesInValuesAreAllowed() throws {
        let text = """
            openapi: 3.0.1
            info: {title: t}
            paths:
              /a:
                get:
                  x-amazon-apigateway-integration: &backend
                    type: http_proxy
                    uri: https://e.example
              /b:
                get:
                  x-amazon-apigateway-integration: *backend
            """
        let document = try Support.importDocument(text)
        #expect(document.routes.count == 2)
        #expect(document.integrations.count == 1)
    }

    @Test func deeplyNestedInputNeverCrashes() {
        let deepFlow = "openapi: 3.0.1\ninfo: {title: t}\nx-deep: " + String(repeating: "[", count: 990) + String(repeating: "]", count: 990) + "\n"
        #expect(Support.importError(deepFlow) == nil)
        var deepBlock = "openapi: 3.0.1\ninfo: {title: t}\nx-deep:\n"
        for level in 1...990 { deepBlock += String(repeating: " ", count: level) + "a:\n" }
        deepBlock += String(repeating: " ", count: 991) + "b\n"
        #expect(Support.importError(deepBlock) == nil)
        let tooDeep = "{\"openapi\": " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "}"
        #expect(message(tooDeep)?.hasPrefix("Invalid OpenAPI input: malformed JSON at line 1") == true)
    }

    /// Truncations and corruptions of the realistic fixture: every one either imports or throws a
    /// `BadRequestException`; none crashes.
    @Test func damagedDefinitionsNeverCrash() throws {
        let text = try Support.fixture("petstore-http-api.yaml")
        let bytes = Array(text.utf8)
        var generator = SplitMix64(seed: 0x5EED)
        var outcomes = (imported: 0, rejected: 0)
        for step in stride(from: 0, to: bytes.count, by: 97) {
            let truncated = String(decoding: bytes[..<step], as: UTF8.self)
            if let error = Support.importError(truncated) {
                #expect(error.type == "BadRequestException")
                outcomes.rejected += 1
            } else {
                outcomes.imported += 1
            }
        }
        let noise: [UInt8] = Array("{}[]:,-?*&!|>'\"#% \n\t\\x0".utf8)
        for _ in 0..<60 {
            var damaged = bytes
            for _ in 0..<4 {
                damaged[Int(generator.next() % UInt64(damaged.count))] = noise[Int(generator.next() % UInt64(noise.count))]
            }
            if let error = Support.importError(String(decoding: damaged, as: UTF8.self)) {
                #expect(error.type == "BadRequestException")
            }
        }
        #expect(outcomes.rejected > 0)
    }
}

/// A small deterministic generator for the corruption test.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
