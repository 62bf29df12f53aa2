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

    /// With `failOnWarnings`, AWS rejects the import and lists the warnings:
    /// `Warnings found during import:\n\t<warning>\n\t<warning>`.
    func failIfWarnings(_ failOnWarnings: Bool) throws(APIError) {
        guard failOnWarnings, !warnings.isEmpty else { return }
        throw .badRequest("Warnings found during import:\n\t" + warnings.joined(separator: "\n\t"))
    }
}
