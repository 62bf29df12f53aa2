import PorticoModel
import Testing

/// ImportApi's `basepath` parameter: ignore, prepend and split, with the base path found in
/// `servers` as AWS documents for OpenAPI 3.0.
struct OpenAPIBasePathTests {
    typealias Support = OpenAPITestSupport

    private func definition(servers: String) -> String {
        """
        openapi: 3.0.1
        info: {title: t}
        servers:
        \(servers)
        paths:
          /e:
            get: {}
          /:
            post: {}
          /$default:
            x-amazon-apigateway-any-method: {}
        """
    }

    private func routeKeys(_ text: String, _ basepath: String?) throws -> Set<String> {
        Set(try Support.importDocument(text, basepath: basepath).routes.map(\.routeKey))
    }

    @Test func basePathVariableWithEachMode() throws {
        let text = definition(servers: "  - url: https://example.com/{basePath}\n    variables:\n      basePath:\n        default: /a/b/c")
        #expect(try routeKeys(text, nil) == ["GET /e", "POST /", "$default"])
        #expect(try routeKeys(text, "ignore") == ["GET /e", "POST /", "$default"])
        #expect(try routeKeys(text, "prepend") == ["GET /a/b/c/e", "POST /a/b/c", "$default"])
        #expect(try routeKeys(text, "split") == ["GET /b/c/e", "POST /b/c", "$default"])
    }

    @Test func serverURLPathWhenThereIsNoBasePathVariable() throws {
        let absolute = definition(servers: "  - url: https://api.example.com/v1/pets/\n  - url: https://other.example.com/v9")
        #expect(try routeKeys(absolute, "prepend") == ["GET /v1/pets/e", "POST /v1/pets", "$default"])
        #expect(try routeKeys(absolute, "split") == ["GET /pets/e", "POST /pets", "$default"])

        let relative = definition(servers: "  - url: /stage")
        #expect(try routeKeys(relative, "prepend") == ["GET /stage/e", "POST /stage", "$default"])
        // A single-part base path split leaves nothing to add.
        #expect(try routeKeys(relative, "split") == ["GET /e", "POST /", "$default"])

        let variables = definition(servers: "  - url: https://{host}/{stage}/api\n    variables:\n      host: {default: example.com}\n      stage: {default: prod}")
        #expect(try routeKeys(variables, "prepend") == ["GET /prod/api/e", "POST /prod/api", "$default"])

        let root = definition(servers: "  - url: https://api.example.com/")
        #expect(try routeKeys(root, "prepend") == ["GET /e", "POST /", "$default"])
    }

    @Test func firstBasePathVariableWinsEvenIfUnused() throws {
        let text = definition(
            servers: """
                  - url: https://api.example.com/ignored
                  - url: https://example.com
                    variables:
                      basePath: {default: first}
                  - url: https://example.com/{basePath}
                    variables:
                      basePath: {default: second}
                """)
        #expect(try routeKeys(text, "prepend") == ["GET /first/e", "POST /first", "$default"])
    }
}
