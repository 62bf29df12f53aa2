/// Matches a method and a request path against path templates such as
/// `/v2/apis/{apiId}/routes/{routeId}`. A `{name}` takes exactly one path segment, which is
/// percent-decoded before the handler sees it (so a tag ARN with `%2F` stays one segment).
struct Router<Handler: Sendable>: Sendable {
    struct Match: Sendable {
        var handler: Handler
        var parameters: [String: String]
    }

    enum Lookup: Sendable {
        case found(Match)
        /// The path exists with other methods.
        case methodNotAllowed
        case notFound
        /// A path segment has a malformed percent-escape.
        case malformedPath
    }

    private enum Piece: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private struct Entry: Sendable {
        var method: String
        var pieces: [Piece]
        var handler: Handler
    }

    private var entries: [Entry] = []

    init() {}

    mutating func add(_ method: String, _ template: String, _ handler: Handler) {
        let pieces = Self.segments(of: template).map { segment -> Piece in
            if segment.hasPrefix("{") && segment.hasSuffix("}") {
                return .parameter(String(segment.dropFirst().dropLast()))
            }
            return .literal(String(segment))
        }
        precondition(
            !entries.contains { $0.method == method && $0.pieces == pieces },
            "duplicate route \(method) \(template)")
        entries.append(Entry(method: method, pieces: pieces, handler: handler))
    }

    /// Every registered method and template, for tests and documentation.
    var templates: [(method: String, template: String)] {
        entries.map { entry in
            let path = entry.pieces.map { piece -> String in
                switch piece {
                case .literal(let text): text
                case .parameter(let name): "{\(name)}"
                }
            }
            return (entry.method, "/" + path.joined(separator: "/"))
        }
    }

    func route(method: String, rawPath: String) -> Lookup {
        let rawSegments = Self.segments(of: rawPath)
        var segments: [String] = []
        segments.reserveCapacity(rawSegments.count)
        for raw in rawSegments {
            guard let decoded = PercentEncoding.decode(raw) else { return .malformedPath }
            segments.append(decoded)
        }
        var pathMatched = false
        for entry in entries {
            guard let parameters = Self.match(entry.pieces, segments) else { continue }
            if entry.method == method {
                return .found(Match(handler: entry.handler, parameters: parameters))
            }
            pathMatched = true
        }
        return pathMatched ? .methodNotAllowed : .notFound
    }

    private static func segments(of path: some StringProtocol) -> [Substring] {
        // A trailing slash is not a segment: `/v2/apis/` is `/v2/apis`.
        var trimmed = Substring(path)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { $0 }
    }

    private static func match(_ pieces: [Piece], _ segments: [String]) -> [String: String]? {
        guard pieces.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (piece, segment) in zip(pieces, segments) {
            switch piece {
            case .literal(let text):
                guard text == segment else { return nil }
            case .parameter(let name):
                guard !segment.isEmpty else { return nil }
                parameters[name] = segment
            }
        }
        return parameters
    }
}
