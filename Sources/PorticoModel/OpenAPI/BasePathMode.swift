import Foundation

/// ImportApi's `basepath` query parameter: how the definition's base path becomes part of the routes.
///
/// AWS ("Set the OpenAPI basePath property"): with a base path of `/a/b/c` and a path `/e`,
/// `ignore` (the default) gives `/e`, `prepend` gives `/a/b/c/e`, and `split` drops the first part
/// of the base path and gives `/b/c/e`.
enum BasePathMode: String, Sendable {
    case ignore
    case prepend
    case split

    init(parameter: String?) throws(APIError) {
        guard let parameter, !parameter.isEmpty else {
            self = .ignore
            return
        }
        guard let mode = BasePathMode(rawValue: parameter) else {
            throw .badRequest("Invalid basepath '\(parameter)'. Valid values are ignore, prepend and split.")
        }
        self = mode
    }

    /// `path` with the base path applied as this mode says.
    func apply(basePath: String?, to path: String) -> String {
        guard let basePath else { return path }
        let prefix: String
        switch self {
        case .ignore:
            return path
        case .prepend:
            prefix = basePath
        case .split:
            let parts = basePath.split(separator: "/")
            prefix = parts.count > 1 ? "/" + parts.dropFirst().joined(separator: "/") : ""
        }
        if prefix.isEmpty { return path }
        return path == "/" ? prefix : prefix + path
    }

    /// The base path of an OpenAPI 3.0 definition, found as AWS documents: the default of the first
    /// `basePath` server variable, even if the URL does not use it; without one, the path of the first
    /// server's `url` beyond `/`. `nil` when there is none. Returned as `/a/b/c`.
    static func basePath(of servers: DefinitionNode?) throws(APIError) -> String? {
        guard let servers else { return nil }
        let list = try servers.elements()
        for server in list {
            guard let variable = try server.child("variables")?.child("basePath") else { continue }
            return normalized(try variable.child("default")?.string() ?? "")
        }
        guard let first = list.first, let url = try first.child("url")?.string() else { return nil }
        var expanded = url
        if let variables = try first.child("variables") {
            for entry in try variables.entries() {
                let value = try entry.value.child("default")?.string() ?? ""
                expanded = expanded.replacingOccurrences(of: "{\(entry.key)}", with: value)
            }
        }
        return normalized(path(of: expanded))
    }

    /// The path part of a server URL: what follows the host of an absolute URL, or a relative URL itself.
    private static func path(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            guard let slash = rest.firstIndex(of: "/") else { return "" }
            rest = rest[slash...]
        }
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        return String(rest)
    }

    private static func normalized(_ path: String) -> String? {
        let parts = path.split(separator: "/")
        return parts.isEmpty ? nil : "/" + parts.joined(separator: "/")
    }
}
