import PorticoModel
import PorticoSchema
import Testing

/// The draft 4 cases under `Cases/`: every keyword with valid and invalid values, and AWS's example
/// models. `isValid` and `validate` must agree with each case and with each other.
struct ConformanceTests {
    @Test func everyCasePasses() throws {
        let groups = try ConformanceGroup.all()
        var passed = 0
        var failed: [String] = []
        for (file, group) in groups {
            let schema: JSONSchema
            do {
                schema = try group.compile()
            } catch {
                failed.append("\(file) / \(group.description): does not compile: \(error)")
                continue
            }
            for test in group.tests {
                let quick = schema.isValid(test.data)
                let failures = schema.validate(test.data)
                // The same data through the body parser, as a request would bring it.
                let reparsed = JSONParser.parse(Array(test.data.jsonText.utf8)).map(schema.isValid)
                if quick == test.valid && failures.isEmpty == test.valid && reparsed == test.valid {
                    passed += 1
                } else {
                    failed.append("\(file) / \(group.description) / \(test.description): expected \(test.valid), isValid \(quick), reparsed \(String(describing: reparsed)), failures \(failures)")
                }
            }
        }
        print("PorticoSchema conformance: \(passed) passed, \(failed.count) failed, \(groups.count) groups")
        #expect(failed.isEmpty, "\(failed.joined(separator: "\n"))")
        #expect(passed >= 150)
    }

    @Test func awsExamplesNameTheirSource() throws {
        for (file, group) in try ConformanceGroup.all() where file.hasPrefix("aws") {
            #expect(group.source?.hasPrefix("https://docs.aws.amazon.com/") == true, "\(group.description)")
        }
    }
}
