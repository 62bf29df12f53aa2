/// The text format of an exported OpenAPI definition (`ExportApi`'s `outputType`).
public enum OpenAPIFormat: String, Sendable {
    case json = "JSON"
    case yaml = "YAML"
}
