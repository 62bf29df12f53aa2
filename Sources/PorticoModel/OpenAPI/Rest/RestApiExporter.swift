public import Foundation

/// `apigateway` GetExport: a deployed stage of a REST API as an OpenAPI 3.0.1 (`oas30`) or Swagger
/// 2.0 (`swagger`) definition, in JSON or YAML, with the extensions the caller asks for.
public enum RestApiExporter {
    public enum ExportType: String, Sendable {
        case oas30
        case swagger
    }

    /// GetExport's `extensions` parameter (AWS developer guide, "Export a REST API from API Gateway"):
    /// `integrations` adds `x-amazon-apigateway-integration`, `validators` the request validators,
    /// `authorizers` the authorizers' settings, `postman` the Postman extensions (none are
    /// written), and `apigateway` every API Gateway extension.
    public struct Extensions: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        public static let integrations = Extensions(rawValue: 1)
        public static let validators = Extensions(rawValue: 2)
        public static let authorizers = Extensions(rawValue: 4)
        public static let postman = Extensions(rawValue: 8)
        /// The API-level settings (gateway responses, binary media types, ...) on top of all the others.
        public static let apigateway = Extensions(rawValue: 16 | 1 | 2 | 4)

        /// Reads `extensions=integrations,validators` (comma-separated, any case).
        public init(parameter: String?) throws(APIError) {
            self = []
            guard let parameter else { return }
            for name in parameter.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !name.isEmpty {
                switch name {
                case "integrations": insert(.integrations)
                case "validators": insert(.validators)
                case "authorizers": insert(.authorizers)
                case "postman": insert(.postman)
                case "apigateway": insert(.apigateway)
                default:
                    throw .badRequest("Invalid extensions value '\(name)'. Valid values are integrations, validators, authorizers, postman and apigateway.")
                }
            }
        }
    }

    /// `info.version`: the API's version, or the deployment's date when it has none.
    public static func version(of restApi: RestApi, deployedAt: Date?) -> String {
        restApi.version ?? (deployedAt ?? Date()).formatted(.iso8601)
    }

    /// - Parameters:
    ///   - restApi: The API as it is now (name, description and version go into `info`).
    ///   - snapshot: What the stage's deployment froze.
    ///   - deployedAt: The deployment's creation date, `info.version` when the API has no version.
    ///   - endpointURL: The API's invoke URL without the stage.
    public static func export(
        restApi: RestApi, snapshot: RestDeploymentSnapshot, stageName: String, deployedAt: Date?, type: ExportType,
        format: OpenAPIFormat, extensions: Extensions, endpointURL: String
    ) throws(APIError) -> String {
        let builder = RestExportDocumentBuilder(
            restApi: restApi, snapshot: snapshot, stageName: stageName,
            version: version(of: restApi, deployedAt: deployedAt), type: type, extensions: extensions,
            endpointURL: endpointURL)
        let document = builder.build()
        switch format {
        case .json: return document.jsonText()
        case .yaml: return try document.yamlText()
        }
    }
}
