import PorticoModel
import Testing

@testable import PorticoRuntime

/// Integration-response selection: `selectionPattern` regexes match the whole status (Java's
/// `String.matches`), the default response (no pattern) answers when none matches.
struct RestIntegrationResponsesTests {
    static func responses(_ patterns: [String: String?]) -> (RestIntegrationResponses, [String]) {
        var warnings: [String] = []
        var definitions: [String: IntegrationResponse] = [:]
        for (status, pattern) in patterns {
            var response = IntegrationResponse(statusCode: status)
            response.selectionPattern = pattern
            definitions[status] = response
        }
        return (RestIntegrationResponses(definitions, warnings: &warnings), warnings)
    }

    @Test func patternSelectsAndDefaultCatchesTheRest() {
        let (responses, warnings) = Self.responses(["200": nil, "400": "4\\d{2}", "500": "5\\d{2}"])
        #expect(warnings.isEmpty)
        #expect(responses.select("404")?.statusCode == 400)
        #expect(responses.select("503")?.statusCode == 500)
        #expect(responses.select("201")?.statusCode == 200)
        #expect(responses.select("200")?.statusCode == 200)
    }

    @Test func patternMustMatchTheWholeText() {
        let (responses, _) = Self.responses(["200": "", "400": "4"])
        #expect(responses.select("404")?.statusCode == 200)
        #expect(responses.select("4")?.statusCode == 400)
    }

    @Test func emptyPatternIsTheDefault() {
        let (responses, _) = Self.responses(["200": ""])
        #expect(responses.defaultEntry?.statusCode == 200)
        #expect(responses.entries.isEmpty)
    }

    @Test func noDefaultAndNoMatchIsNil() {
        let (responses, _) = Self.responses(["500": "5\\d{2}"])
        #expect(responses.select("200") == nil)
    }

    @Test func errorMessagePatternsMatchAcrossLines() {
        let (responses, _) = Self.responses(["200": nil, "400": ".*Bad Request.*"])
        #expect(responses.select("[Bad Request] missing\nsecond line")?.statusCode == 400)
    }

    @Test func invalidRegexIsAWarningAndSkipped() {
        let (responses, warnings) = Self.responses(["200": nil, "400": "4(\\d"])
        #expect(warnings.count == 1)
        #expect(responses.select("4(1")?.statusCode == 200)
    }

    @Test func responseTemplateFollowsAcceptThenJSONThenFirst() throws {
        var warnings: [String] = []
        var response = IntegrationResponse(statusCode: "200")
        response.responseTemplates = ["application/xml": "<a/>", "application/json": "{}", "text/plain": ""]
        let entry = try #require(RestIntegrationResponses(["200": response], warnings: &warnings).defaultEntry)
        #expect(entry.template(accept: "application/xml")?.contentType == "application/xml")
        #expect(entry.template(accept: "text/html, application/xml;q=0.9")?.contentType == "application/xml")
        #expect(entry.template(accept: nil)?.contentType == "application/json")
        // An empty template passes the body through: it is no template at all.
        #expect(entry.template(accept: "text/plain")?.contentType == "application/json")
    }
}
