import Yams

/// Turns the text of an OpenAPI definition, JSON or YAML, into a tree of ``DefinitionNode``s that
/// remember their lines.
///
/// Both formats go through Yams' composer (JSON is a subset of YAML's flow style), so a type error
/// anywhere can name its line. The text is told apart only to word parse errors: text that starts
/// with `{` or `[` is JSON.
enum DefinitionText {
    static func parse(_ text: String) throws(APIError) -> DefinitionNode {
        guard let first = text.unicodeScalars.first(where: { !$0.properties.isWhitespace }) else {
            throw .invalidOpenAPI("the definition is empty.")
        }
        let format = first == "{" || first == "[" ? "JSON" : "YAML"
        if let line = ComplexKeyScanner.firstComplexKey(in: text) {
            throw .invalidOpenAPI(
                "line \(line): mapping keys must be strings; complex keys, explicit '?' keys and aliases used as keys are not supported")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw describe(error, format: format)
        } catch {
            throw .invalidOpenAPI("the definition is not valid \(format): \(error)")
        }
        guard let root else { throw .invalidOpenAPI("the definition is empty.") }
        return DefinitionNode(root, path: "")
    }

    /// A parser error as `Invalid OpenAPI input: malformed YAML at line 3, column 7: <problem>`. The
    /// parser's own description is not used: it quotes the offending line, which can be huge.
    private static func describe(_ error: YamlError, format: String) -> APIError {
        func located(_ problem: String, _ mark: Mark, _ context: YamlError.Context?) -> APIError {
            var message = "malformed \(format) at line \(mark.line), column \(mark.column): \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            return .invalidOpenAPI(message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return located(problem, mark, context)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .invalidOpenAPI("malformed \(format): duplicate key \(keys) in the mapping at line \(context.mark.line)")
        case .reader(let problem, let offset, _, _):
            return .invalidOpenAPI("the definition cannot be read as \(format): \(problem)\(offset.map { " at offset \($0)" } ?? "")")
        default:
            return .invalidOpenAPI("the definition is not valid \(format).")
        }
    }
}
