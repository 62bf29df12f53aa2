import Foundation
import PorticoModel
import PorticoSchema

/// One group of `Cases/*.json`, in the JSON-Schema-Test-Suite's format (`description`, `schema`,
/// `tests[{description, data, valid}]`), plus Portico's optional `source` (where an AWS example comes
/// from), `restApiId` and `models` (other models of the API, for model-URL `$ref`s).
struct ConformanceGroup: Decodable {
    struct Case: Decodable {
        var description: String
        var data: JSONValue
        var valid: Bool
    }

    var description: String
    var source: String?
    var restApiId: String?
    var models: [String: JSONValue]?
    var schema: JSONValue
    var tests: [Case]

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Cases")

    /// Every group of every file, with the file's name.
    static func all() throws -> [(file: String, group: ConformanceGroup)] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try files.flatMap { file in
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            return try JSONDecoder().decode([ConformanceGroup].self, from: data).map { (file, $0) }
        }
    }

    func compile() throws -> JSONSchema {
        try JSONSchema(compiling: schema) { reference in
            reference.restApiId == restApiId ? models?[reference.modelName] : nil
        }
    }
}
