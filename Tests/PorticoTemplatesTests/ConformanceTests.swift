import Foundation
import PorticoModel
import PorticoTemplates
import Testing

/// AWS's documented mapping-template examples, kept as data in `Conformance/*.json`: each file
/// names its source page and holds cases (template, request, expected output). Outputs the
/// documentation shows as JSON are compared as JSON; others as exact text.
struct ConformanceTests {
    @Test(arguments: ConformanceCase.all)
    func documentedExample(_ example: ConformanceCase) throws {
        let template = try MappingTemplate(source: example.template)
        let result = try template.render(context: example.input.context)
        if example.compare == "json" {
            let actual = try? JSONDecoder().decode(JSONValue.self, from: Data(result.body.utf8))
            let expected = try JSONDecoder().decode(JSONValue.self, from: Data(example.expected.utf8))
            #expect(actual == expected, "rendered: \(result.body)")
        } else {
            #expect(result.body == example.expected)
        }
        if let header = example.expectedRequestOverrideHeaders {
            #expect(result.requestOverride.header == header)
        }
        if let status = example.expectedStatus {
            #expect(result.statusOverride == status)
        }
    }

    @Test func suiteHasTheDocumentedCases() {
        #expect(ConformanceCase.unreadable.isEmpty, "cannot read \(ConformanceCase.unreadable)")
        #expect(ConformanceCase.all.count >= 30)
        #expect(Set(ConformanceCase.all.map(\.id)).count == ConformanceCase.all.count)
    }
}

/// One documented example.
struct ConformanceCase: Decodable, Sendable, CustomTestStringConvertible {
    /// `file/name`, filled in by the loader.
    var id = ""
    let name: String
    let template: String
    let input: Input
    let expected: String
    /// `json` or `text`.
    let compare: String
    let expectedRequestOverrideHeaders: [String: String]?
    let expectedStatus: Int?

    var testDescription: String { id }

    private enum CodingKeys: String, CodingKey {
        case name, template, input, expected, compare, expectedRequestOverrideHeaders, expectedStatus
    }

    struct Input: Decodable, Sendable {
        let body: String?
        let path: [String: String]?
        let querystring: [String: String]?
        let header: [String: String]?
        let contextVariables: [String: JSONValue]?
        let stageVariables: [String: String]?

        private enum CodingKeys: String, CodingKey {
            case body, path, querystring, header, stageVariables
            case contextVariables = "context"
        }

        var context: MappingTemplateContext {
            func pairs(_ map: [String: String]?) -> [MappingTemplateContext.Parameter] {
                (map ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            }
            return MappingTemplateContext(
                body: body ?? "", pathParameters: pairs(path), queryStringParameters: pairs(querystring), headers: pairs(header),
                context: contextVariables ?? [:], stageVariables: stageVariables ?? [:])
        }
    }

    private struct File: Decodable {
        let source: String
        let cases: [ConformanceCase]
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Conformance")

    static let all: [ConformanceCase] = load().cases
    /// Files that did not decode; `suiteHasTheDocumentedCases` reports them.
    static let unreadable: [String] = load().unreadable

    private static func load() -> (cases: [ConformanceCase], unreadable: [String]) {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var cases: [ConformanceCase] = []
        var unreadable: [String] = []
        for name in files.filter({ $0.hasSuffix(".json") }).sorted() {
            let url = directory.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else {
                unreadable.append(name)
                continue
            }
            for var example in file.cases {
                example.id = name.replacingOccurrences(of: ".json", with: "") + "/" + example.name
                cases.append(example)
            }
        }
        return (cases, unreadable)
    }
}
