import PorticoModel
import Testing

@testable import PorticoRuntime

struct RouterTests {
    func router(_ keys: [String]) throws -> Router<String> {
        Router(routes: try keys.map { (try RouteKey(parsing: $0), $0) })
    }

    @Test func fullMatchBeatsVariableBeatsGreedyBeatsDefault() throws {
        let router = try router(["GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "$default"])
        #expect(router.match(method: "GET", path: "/pets/dog/1")?.value == "GET /pets/dog/1")
        #expect(router.match(method: "GET", path: "/pets/dog/2")?.value == "GET /pets/dog/{id}")
        #expect(router.match(method: "GET", path: "/pets/dog/2/x")?.value == "GET /pets/{proxy+}")
        #expect(router.match(method: "GET", path: "/other")?.value == "$default")
        #expect(router.match(method: "POST", path: "/pets/dog/1")?.value == "$default")
    }

    @Test func explicitMethodBeatsAnyOnTheSamePath() throws {
        let router = try router(["ANY /pets", "POST /pets"])
        #expect(router.match(method: "POST", path: "/pets")?.value == "POST /pets")
        #expect(router.match(method: "GET", path: "/pets")?.value == "ANY /pets")
    }

    @Test func backtracksWhenTheLiteralBranchHasNoRouteForTheMethod() throws {
        let router = try router(["GET /pets/dog", "POST /pets/{id}"])
        let match = router.match(method: "POST", path: "/pets/dog")
        #expect(match?.value == "POST /pets/{id}")
        #expect(match?.pathParameters.first?.name == "id")
        #expect(match?.pathParameters.first?.value == "dog")
    }

    @Test func greedyNeedsAtLeastOneSegmentAndKeepsSlashes() throws {
        let router = try router(["ANY /files/{path+}"])
        #expect(router.match(method: "GET", path: "/files") == nil)
        let match = router.match(method: "GET", path: "/files/a/b%20c/d.txt")
        #expect(match?.pathParameters.first?.value == "a/b c/d.txt")
    }

    @Test func noMatchAndNoDefaultIsNil() throws {
        let router = try router(["GET /a"])
        #expect(router.match(method: "GET", path: "/b") == nil)
        #expect(router.match(method: "GET", path: "/") == nil)
    }

    @Test func rootRouteAndTrailingSlash() throws {
        let router = try router(["GET /", "GET /a"])
        #expect(router.match(method: "GET", path: "/")?.value == "GET /")
        #expect(router.match(method: "GET", path: "/a/")?.value == "GET /a")
    }

    /// A node with few literal children compares raw bytes; one with more hashes: both match the same way,
    /// an escaped segment matches the literal it decodes to, and every method of a path is found.
    @Test(arguments: [3, 12])
    func literalChildrenMatchAsTheyDecode(_ count: Int) throws {
        let names = (0..<count).map { "item\($0)" }
        let router = try self.router(names.flatMap { ["GET /\($0)/x", "PUT /\($0)/x"] } + ["GET /{other}/x"])
        for name in names {
            #expect(router.match(method: "GET", path: "/\(name)/x"[...])?.value == "GET /\(name)/x")
            #expect(router.match(method: "PUT", path: "/\(name)/x"[...])?.value == "PUT /\(name)/x")
        }
        #expect(router.match(method: "GET", path: "/%69tem1/x")?.value == "GET /item1/x")
        #expect(router.match(method: "GET", path: "/item/x")?.value == "GET /{other}/x")
        #expect(router.match(method: "GET", path: "/item10000/x")?.pathParameters.first?.value == "item10000")
        #expect(router.match(method: "DELETE", path: "/item1/x") == nil)
    }

    @Test func variablesAreDecoded() throws {
        let router = try router(["GET /users/{name}/items/{id}"])
        let match = router.match(method: "GET", path: "/users/j%C3%BCrgen/items/7")
        #expect(match?.pathParameters.map(\.value) == ["jürgen", "7"])
    }
}

struct RouteKeyTests {
    @Test func parsesAndPrints() throws {
        #expect(try RouteKey(parsing: "GET /pets/{id}").description == "GET /pets/{id}")
        #expect(try RouteKey(parsing: "ANY /{proxy+}").method == nil)
        #expect(try RouteKey(parsing: "$default").isDefault)
    }

    @Test(arguments: ["GET", "GET pets", "FETCH /x", "GET /a/{proxy+}/b", "GET /a//b", "GET /a{b}", "GET /{}", "get /x"])
    func rejectsMalformedKeys(_ key: String) {
        #expect(throws: APIError.self) { try RouteKey(parsing: key) }
    }
}
