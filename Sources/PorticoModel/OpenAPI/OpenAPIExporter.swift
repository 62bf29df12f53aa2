/// `apigatewayv2` ExportApi: an HTTP API as an OpenAPI 3.0.1 definition, in AWS's shape.
///
/// Routes are grouped by path (`ANY` routes under `x-amazon-apigateway-any-method`, the `$default`
/// route under `/$default` with `isDefaultRoute`), each operation carrying its
/// `x-amazon-apigateway-integration`; path variables get generated `parameters`; the CORS
/// configuration and `x-amazon-apigateway-importexport-version: "1.0"` sit at the top. Importing the
/// result gives back the same routes, integrations and CORS configuration.
public enum OpenAPIExporter {
    /// ExportApi: `specification` must be "OAS30"; includeExtensions default true; exportVersion "1.0".
    ///
    /// - Parameters:
    ///   - routes: The routes to export: the API's current ones, or those of the deployment `stageName` serves.
    ///   - integrations: The integrations the routes target.
    ///   - stageName: The stage exported, if any; it becomes the default of the server's `basePath` variable.
    ///   - includeExtensions: `false` leaves out every `x-amazon-apigateway-*` extension (and with
    ///     them the `ANY` and `$default` routes, which only the extension can express).
    ///   - serverURL: The API's endpoint (`https://{apiId}.execute-api.{region}.amazonaws.com`), for `servers`.
    ///   - authorizers: The Lambda authorizers the routes may name, written as security schemes.
    public static func export(
        api: Api, routes: [Route], integrations: [Integration], stageName: String?, format: OpenAPIFormat,
        includeExtensions: Bool, serverURL: String?, authorizers: [Authorizer] = []
    ) throws(APIError) -> String {
        guard api.protocolType == .http else {
            throw .badRequest("Export is supported only for HTTP APIs.")
        }
        let builder = ExportDocumentBuilder(
            api: api, routes: routes,
            integrations: Dictionary(integrations.map { ($0.integrationId, $0) }, uniquingKeysWith: { first, _ in first }),
            stageName: stageName, includeExtensions: includeExtensions, serverURL: serverURL, authorizers: authorizers)
        let document = builder.build()
        switch format {
        case .json: return document.jsonText()
        case .yaml: return try document.yamlText()
        }
    }

    /// Checks ExportApi's `specification` and `exportVersion` parameters: `OAS30` is the only
    /// specification and `1.0` the only export version AWS supports.
    public static func validate(specification: String, exportVersion: String?) throws(APIError) {
        guard specification == "OAS30" else {
            throw .badRequest("Invalid specification '\(specification)'. OAS30 is the only supported specification.")
        }
        if let exportVersion, exportVersion != "1.0" {
            throw .badRequest("Invalid exportVersion '\(exportVersion)'. 1.0 is the only supported export version.")
        }
    }
}
