/// One node of a REST API's resource tree: a path part under a parent (`pets`, `{petId}`,
/// `{proxy+}`), the full path it stands for, and the methods defined on it. The root resource
/// (`/`) has neither parent nor path part.
public struct RestResource: Codable, Sendable, Equatable {
    public var id: String
    public var parentId: String?
    public var pathPart: String?
    public var path: String
    /// The methods by HTTP method (`GET`, `ANY`, ...), each with its method responses and integration.
    public var resourceMethods: [String: RestMethod]?

    public init(id: String, parentId: String?, pathPart: String?, path: String) {
        self.id = id
        self.parentId = parentId
        self.pathPart = pathPart
        self.path = path
    }

    public var isRoot: Bool { parentId == nil }

    public func method(_ httpMethod: String) -> RestMethod? { resourceMethods?[httpMethod] }

    /// The path of a child with `pathPart` under a resource whose path is `parentPath`.
    public static func childPath(parentPath: String, pathPart: String) -> String {
        parentPath == "/" ? "/" + pathPart : parentPath + "/" + pathPart
    }
}
