public import PorticoModel

/// Where an `HTTP_PROXY` integration sends requests, parsed once per deployment from the
/// integration URI after stage variables are substituted.
public struct HTTPTarget: Sendable, Equatable {
    public enum Scheme: String, Sendable { case http, https }

    public enum PathPart: Sendable, Equatable {
        case literal(String)
        /// `{name}` or `{name+}` in the URI: the route's path parameter, re-encoded.
        case parameter(String)
    }

    public let scheme: Scheme
    public let host: String
    public let port: Int
    /// The `Host` header sent upstream (port omitted when it is the scheme's default).
    public let hostHeader: String
    public let path: [PathPart]
    /// Query string that the URI itself carries, without `?`.
    public let query: String

    public init(uri: String) throws(APIError) {
        let schemeEnd: String.Index
        if let range = uri.range(of: "://") {
            schemeEnd = range.upperBound
            guard let scheme = Scheme(rawValue: uri[..<range.lowerBound].lowercased()) else {
                throw .badRequest("Invalid integration URI specified: \(uri)")
            }
            self.scheme = scheme
        } else {
            throw .badRequest("Invalid integration URI specified: \(uri)")
        }
        let afterScheme = uri[schemeEnd...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard !authority.isEmpty, !authority.contains("@") else {
            throw .badRequest("Invalid integration URI specified: \(uri)")
        }
        let defaultPort = scheme == .https ? 443 : 80
        if authority.hasPrefix("[") {
            // IPv6 literal: [::1]:8080
            guard let close = authority.firstIndex(of: "]") else { throw .badRequest("Invalid integration URI specified: \(uri)") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            if rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port) {
                self.port = port
            } else if rest.isEmpty {
                self.port = defaultPort
            } else {
                throw .badRequest("Invalid integration URI specified: \(uri)")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let port = Int(authority[authority.index(after: colon)...]), (1...65535).contains(port), !host.isEmpty else {
                throw .badRequest("Invalid integration URI specified: \(uri)")
            }
            self.port = port
        } else {
            host = String(authority)
            port = defaultPort
        }
        let bareHost = authority.hasPrefix("[") ? "[\(host)]" : host
        hostHeader = port == defaultPort ? bareHost : "\(bareHost):\(port)"
        var pathText = afterScheme[authorityEnd...]
        var query = ""
        if let questionMark = pathText.firstIndex(of: "?") {
            query = String(pathText[pathText.index(after: questionMark)...])
            pathText = pathText[..<questionMark]
        }
        self.query = query
        var parts: [PathPart] = []
        var literal = ""
        var index = pathText.startIndex
        while index < pathText.endIndex {
            let character = pathText[index]
            if character == "{", let close = pathText[index...].firstIndex(of: "}") {
                var name = String(pathText[pathText.index(after: index)..<close])
                if name.hasSuffix("+") { name.removeLast() }
                if !literal.isEmpty {
                    parts.append(.literal(literal))
                    literal = ""
                }
                parts.append(.parameter(name))
                index = pathText.index(after: close)
            } else {
                literal.append(character)
                index = pathText.index(after: index)
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.path = parts
    }

    /// Whether the URI's path has no parameters (then `$default` routes append the request path).
    public var hasParameters: Bool {
        path.contains { if case .parameter = $0 { true } else { false } }
    }
}
