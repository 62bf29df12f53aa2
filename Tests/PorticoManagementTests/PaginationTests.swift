import PorticoModel
import Testing

@testable import PorticoManagement

struct PaginationTests {
    let ids = (0..<7).map { "id\($0)" }.shuffled()

    @Test func walksEveryItemOnceInKeyOrder() throws {
        var seen: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try Pagination.page(ids, kind: "routes", key: { $0 }, maxResults: "3", nextToken: token)
            seen += page.items
            token = page.nextToken
            pages += 1
        } while token != nil
        #expect(seen == ids.sorted())
        #expect(pages == 3)
    }

    @Test func noTokenWhenEverythingFits() throws {
        let page = try Pagination.page(ids, kind: "routes", key: { $0 }, maxResults: nil, nextToken: nil)
        #expect(page.items.count == 7)
        #expect(page.nextToken == nil)
    }

    @Test func pageBoundarySurvivesDeletions() throws {
        let first = try Pagination.page(ids, kind: "apis", key: { $0 }, maxResults: "2", nextToken: nil)
        #expect(first.items == ["id0", "id1"])
        let remaining = ids.filter { $0 != "id2" }
        let second = try Pagination.page(remaining, kind: "apis", key: { $0 }, maxResults: "2", nextToken: first.nextToken)
        #expect(second.items == ["id3", "id4"])
    }

    @Test(arguments: ["garbage!", "", "dj", Pagination.encodeToken(kind: "stages", after: "x")])
    func foreignOrMalformedTokensAreBadRequests(_ token: String) {
        #expect(throws: Pagination.invalidToken()) {
            try Pagination.page(ids, kind: "routes", key: { $0 }, maxResults: nil, nextToken: token)
        }
    }

    @Test(arguments: ["0", "-1", "ten", "1.5"])
    func invalidMaxResultsIsABadRequest(_ maxResults: String) {
        #expect(throws: APIError.self) {
            try Pagination.page(ids, kind: "routes", key: { $0 }, maxResults: maxResults, nextToken: nil)
        }
    }

    @Test func tokensAreURLSafe() throws {
        let token = Pagination.encodeToken(kind: "apis", after: "??>>~~")
        #expect(!token.contains("+") && !token.contains("/") && !token.contains("="))
        #expect(try Pagination.decodeToken(token, kind: "apis") == "??>>~~")
    }

    @Test func restListsUseLimitAndPositionWithAWSDefaultOf25() throws {
        let many = (0..<30).map { String(format: "id%02d", $0) }
        let first = try Pagination.page(many, kind: "restapis", key: { $0 }, maxResults: nil, nextToken: nil, parameters: .rest)
        #expect(first.items.count == 25)
        let second = try Pagination.page(
            many, kind: "restapis", key: { $0 }, maxResults: nil, nextToken: first.nextToken, parameters: .rest)
        #expect(second.items == ["id25", "id26", "id27", "id28", "id29"] && second.nextToken == nil)
        #expect(throws: Pagination.invalidToken(.rest)) {
            try Pagination.page(many, kind: "resources", key: { $0 }, maxResults: nil, nextToken: first.nextToken, parameters: .rest)
        }
    }
}
