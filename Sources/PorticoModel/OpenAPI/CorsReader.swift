/// Reads the root-level `x-amazon-apigateway-cors` object into the API's CORS configuration.
enum CorsReader {
    /// AWS's bounds for `maxAge`: -1 (no caching) to 86,400 seconds.
    static let maxAgeRange = -1...86_400

    static func read(_ node: DefinitionNode, diagnostics: inout ImportDiagnostics) throws(APIError) -> CorsConfiguration {
        var cors = CorsConfiguration()
        for entry in try node.entries() where !entry.value.isNull {
            switch entry.key {
            case "allowOrigins": cors.allowOrigins = try entry.value.stringList()
            case "allowMethods": cors.allowMethods = try entry.value.stringList()
            case "allowHeaders": cors.allowHeaders = try entry.value.stringList()
            case "exposeHeaders": cors.exposeHeaders = try entry.value.stringList()
            case "allowCredentials": cors.allowCredentials = try entry.value.boolean()
            case "maxAge": cors.maxAge = try entry.value.integer(in: maxAgeRange)
            default:
                // Not one of the object's six properties: invalid, but it does not block the import.
                diagnostics.warn("Parse issue: attribute \(entry.value.path) is unexpected (line \(entry.keyLine))")
            }
        }
        return cors
    }
}
