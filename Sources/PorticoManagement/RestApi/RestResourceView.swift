import PorticoModel

/// A resource as GetResources shows it: with `embed=methods` each method in full, otherwise each
/// method as an empty object under its HTTP method (so clients see which methods exist without
/// their definitions). GetResource always shows methods in full.
struct RestResourceView: Encodable {
    var id: String
    var parentId: String?
    var pathPart: String?
    var path: String
    var resourceMethods: [String: MethodView]?

    enum MethodView: Encodable {
        case summary
        case full(RestMethod)

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .summary: _ = encoder.container(keyedBy: NoKeys.self)
            case .full(let method): try method.encode(to: encoder)
            }
        }

        private enum NoKeys: CodingKey {}
    }

    init(_ resource: RestResource, embedMethods: Bool) {
        id = resource.id
        parentId = resource.parentId
        pathPart = resource.pathPart
        path = resource.path
        if let methods = resource.resourceMethods, !methods.isEmpty {
            resourceMethods = methods.mapValues { embedMethods ? .full($0) : .summary }
        }
    }

    /// Whether the request's `embed` query parameter asks for methods (`embed=methods`; botocore
    /// sends a list as repeated or comma-separated values).
    static func embedsMethods(_ query: QueryParameters) -> Bool {
        query.all("embed").flatMap { $0.split(separator: ",") }.contains { $0.trimmingCharacters(in: .whitespaces) == "methods" }
    }
}
