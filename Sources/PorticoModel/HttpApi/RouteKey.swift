/// A parsed HTTP API route key: `$default`, or a method (or `ANY`) and a path of literal
/// segments, `{name}` variables and one trailing greedy `{name+}`.
public struct RouteKey: Sendable, Hashable, CustomStringConvertible {
    public enum Segment: Sendable, Hashable {
        case literal(String)
        case variable(String)
        case greedy(String)
    }

    /// `nil` for `ANY`.
    public var method: String?
    public var segments: [Segment]
    public var isDefault: Bool

    public static let `default` = RouteKey(method: nil, segments: [], isDefault: true)

    static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"]

    public init(method: String?, segments: [Segment], isDefault: Bool = false) {
        self.method = method
        self.segments = segments
        self.isDefault = isDefault
    }

    /// Parses a route key as `CreateRoute` accepts it.
    public init(parsing key: String) throws(APIError) {
        if key == "$default" {
            self = .default
            return
        }
        let parts = key.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, Self.methods.contains(String(parts[0])) else {
            throw .badRequest("Invalid route key: \(key). Route key must be $default or of the form 'METHOD /path'.")
        }
        let method = String(parts[0])
        let path = String(parts[1])
        guard path.hasPrefix("/") else {
            throw .badRequest("Invalid route key: \(key). The path must begin with '/'.")
        }
        var segments: [Segment] = []
        let raw = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (index, piece) in raw.enumerated() {
            let text = String(piece)
            if text.isEmpty {
                // "/" alone is the root; an empty segment elsewhere is a malformed path.
                if raw.count == 1 { break }
                throw .badRequest("Invalid route key: \(key). Path segments must not be empty.")
            }
            if text.hasPrefix("{") && text.hasSuffix("}") {
                var name = String(text.dropFirst().dropLast())
                if name.hasSuffix("+") {
                    name.removeLast()
                    guard index == raw.count - 1 else {
                        throw .badRequest("Invalid route key: \(key). A greedy path variable must be the last path segment.")
                    }
                    guard Self.isValidVariableName(name) else {
                        throw .badRequest("Invalid route key: \(key). Invalid path variable name '\(name)'.")
                    }
                    segments.append(.greedy(name))
                } else {
                    guard Self.isValidVariableName(name) else {
                        throw .badRequest("Invalid route key: \(key). Invalid path variable name '\(name)'.")
                    }
                    segments.append(.variable(name))
                }
            } else if text.contains("{") || text.contains("}") {
                throw .badRequest("Invalid route key: \(key). Path variables must take a whole path segment.")
            } else {
                segments.append(.literal(text))
            }
        }
        self.init(method: method == "ANY" ? nil : method, segments: segments)
    }

    static func isValidVariableName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2D || byte == 0x2E
        }
    }

    public var path: String {
        if segments.isEmpty { return "/" }
        return "/" + segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .variable(let name): "{\(name)}"
            case .greedy(let name): "{\(name)+}"
            }
        }.joined(separator: "/")
    }

    public var description: String {
        isDefault ? "$default" : "\(method ?? "ANY") \(path)"
    }
}
