import PorticoModel

/// The right-hand side of a REST API parameter mapping (`requestParameters` of an integration,
/// `responseParameters` of an integration response or gateway response), parsed once per
/// deployment. AWS: "Parameter mapping source reference" for REST APIs.
public enum RestValueSource: Sendable, Equatable {
    /// `'text'`: a static value.
    case literal(String)
    /// `method.request.header.name` (the last value when repeated).
    case requestHeader(String)
    /// `method.request.multivalueheader.name` (every value, comma-joined).
    case requestMultiValueHeader(String)
    case requestQuery(String)
    case requestMultiValueQuery(String)
    case requestPath(String)
    /// `method.request.body` (nil path) or `method.request.body.JSONPath`.
    case requestBody(JSONBodyPath?)
    case responseHeader(String)
    case responseMultiValueHeader(String)
    /// `integration.response.body` or `integration.response.body.JSONPath`.
    case responseBody(JSONBodyPath?)
    case stageVariable(String)
    case context(String)

    /// Parses a mapping expression; nil when AWS would not accept it.
    public init?(parsing expression: String) {
        let text = expression.trimmingPrefixSpaces
        if text.count >= 2, text.hasPrefix("'"), text.hasSuffix("'") {
            self = .literal(String(text.dropFirst().dropLast()))
            return
        }
        if let name = text.after("stageVariables.") { self = .stageVariable(name); return }
        if let name = text.after("context.") { self = .context(name); return }
        if let rest = text.after("method.request.") {
            if let name = rest.after("header.") { self = .requestHeader(name); return }
            if let name = rest.after("multivalueheader.") { self = .requestMultiValueHeader(name); return }
            if let name = rest.after("querystring.") { self = .requestQuery(name); return }
            if let name = rest.after("multivaluequerystring.") { self = .requestMultiValueQuery(name); return }
            if let name = rest.after("path.") { self = .requestPath(name); return }
            if rest == "body" { self = .requestBody(nil); return }
            if let path = rest.after("body.") { self = .requestBody(Self.bodyPath(path)); return }
            return nil
        }
        if let rest = text.after("integration.response.") {
            if let name = rest.after("header.") { self = .responseHeader(name); return }
            if let name = rest.after("multivalueheader.") { self = .responseMultiValueHeader(name); return }
            if rest == "body" { self = .responseBody(nil); return }
            if let path = rest.after("body.") { self = .responseBody(Self.bodyPath(path)); return }
            return nil
        }
        return nil
    }

    /// `a.b` and `$.a.b` both name a member of the body.
    static func bodyPath(_ path: String) -> JSONBodyPath {
        JSONBodyPath(path.hasPrefix("$") ? String(path.dropFirst()) : "." + path)
    }

    /// Whether resolving the value needs the request body parsed as JSON.
    public var readsRequestBody: Bool {
        if case .requestBody = self { return true }
        return false
    }
}

/// Where a request parameter mapping writes: `integration.request.{header|querystring|path}.{name}`.
public struct RestParameterTarget: Sendable, Equatable {
    public enum Location: Sendable, Equatable { case header, querystring, path }
    public let location: Location
    public let name: String

    public init?(parsing key: String) {
        guard let rest = key.after("integration.request.") else { return nil }
        if let name = rest.after("header.") {
            self.location = .header
            self.name = name
        } else if let name = rest.after("querystring.") {
            self.location = .querystring
            self.name = name
        } else if let name = rest.after("path.") {
            self.location = .path
            self.name = name
        } else {
            return nil
        }
    }
}

extension String {
    /// The rest of the string after `prefix`, if it starts with it and something follows.
    func after(_ prefix: String) -> String? {
        guard hasPrefix(prefix), count > prefix.count else { return nil }
        return String(dropFirst(prefix.count))
    }

    var trimmingPrefixSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
