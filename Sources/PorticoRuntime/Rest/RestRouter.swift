import PorticoModel

/// Finds the method for a REST API request in the resource tree, with AWS's precedence: at every
/// level a literal path part before a `{param}` before a greedy `{proxy+}`, the request's own
/// method before `ANY` (AWS: "the ANY method … matches any method not otherwise defined on the
/// resource"). A greedy part takes one or more segments, so `/{proxy+}` does not match `/`.
///
/// The tree is the HTTP APIs' ``Router`` trie, built once per deployment from the resources'
/// paths; REST APIs have no `$default` route.
public struct RestRouter: Sendable {
    public typealias Match = Router<RestRuntimeMethod>.Match

    private let router: Router<RestRuntimeMethod>

    public init(methods: [RestRuntimeMethod]) {
        var routes: [(key: RouteKey, value: RestRuntimeMethod)] = []
        for method in methods {
            guard let key = Self.routeKey(method: method.httpMethod, path: method.resourcePath) else { continue }
            routes.append((key, method))
        }
        self.router = Router(routes: routes)
    }

    /// The resource path as a route key (`ANY /pets/{id}`). The management API has already checked
    /// the path parts, so each is taken as it is: `{name}`, `{name+}` or a literal.
    static func routeKey(method: String, path: String) -> RouteKey? {
        let segments = path.split(separator: "/").map { part -> RouteKey.Segment in
            guard part.hasPrefix("{"), part.hasSuffix("}") else { return .literal(String(part)) }
            let name = part.dropFirst().dropLast()
            return name.hasSuffix("+") ? .greedy(String(name.dropLast())) : .variable(String(name))
        }
        return RouteKey(method: method == "ANY" ? nil : method, segments: segments)
    }

    /// `path` is the raw path within the stage (`/pets/7`).
    public func match(method: String, path: Substring) -> Match? {
        router.match(method: method, path: path)
    }
}
