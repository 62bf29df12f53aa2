/// What an import found besides errors, in AWS's two lesser categories: warnings (the definition is
/// invalid in a way that does not block the import; `failOnWarnings` turns them into an error) and
/// info (valid OpenAPI that HTTP APIs ignore, such as request validation). They end up in the API's
/// `warnings` and `importInfo`.
struct ImportDiagnostics: Sendable {
    private(set) var warnings: [String] = []
    private(set) var infos: [String] = []

    /// A definition that references one shared part from many places would repeat a message once
    /// per reference; each message is kept once, in order of first appearance.
    mutating func warn(_ message: String) {
        if !warnings.contains(message) { warnings.append(message) }
    }

    mutating func inform(_ message: String) {
        if !infos.contains(message) { infos.append(message) }
    }

    /// How an importer reports an `x-amazon-apigateway-*` field it does not use: as information or
    /// as a warning, with the words that follow the field's name and line.
    enum IgnoredExtension {
        case inform(String)
        case warn(String)
    }

    /// AWS's warning for a field the importer does not know: `Parse issue: attribute X is unexpected (line N)`.
    mutating func unexpected(_ entry: DefinitionNode.Entry) {
        warn("Parse issue: attribute \(entry.value.path) is unexpected (line \(entry.keyLine))")
    }

    /// Reports every entry not in `known`: `x-amazon-apigateway-*` ones as `extensions` says, other
    /// vendor extensions (`x-...`) not at all, anything else as ``unexpected(_:)``.
    mutating func reportFields(_ entries: [DefinitionNode.Entry], except known: Set<String>, extensions: IgnoredExtension) {
        for entry in entries where !known.contains(entry.key) {
            let place = "\(entry.value.path) (line \(entry.keyLine))"
            if entry.key.hasPrefix("x-amazon-apigateway-") {
                switch extensions {
                case .inform(let words): inform("\(place) \(words)")
                case .warn(let words): warn("\(place) \(words)")
                }
            } else if !entry.key.hasPrefix("x-") {
                unexpected(entry)
            }
        }
    }

    /// With `failOnWarnings`, AWS rejects the import and lists the warnings:
    /// `Warnings found during import:\n\t<warning>\n\t<warning>`.
    func failIfWarnings(_ failOnWarnings: Bool) throws(APIError) {
        guard failOnWarnings, !warnings.isEmpty else { return }
        throw .badRequest("Warnings found during import:\n\t" + warnings.joined(separator: "\n\t"))
    }
}
