import Foundation
public import PorticoModel
public import PorticoTemplates

/// A method's integration responses, compiled: each `selectionPattern` as a regular expression,
/// response parameters parsed, response templates compiled by media type.
///
/// AWS: "API Gateway uses the selectionPattern regex to match the HTTP status code (for HTTP
/// integrations) … If no integration response matches, the default one (no selection pattern)
/// is used." The pattern must match the whole status code, as Java's `String.matches` does.
public struct RestIntegrationResponses: Sendable {
    public struct Entry: Sendable {
        public let statusCode: Int
        let pattern: NSRegularExpression?
        public let selectionPattern: String?
        public let headers: [(name: String, source: RestValueSource)]
        /// Templates by lower-cased media type; an empty template passes the body through.
        public let templates: [String: MappingTemplate]
        /// The media types in the order they were defined (sorted, as a JSON object has none).
        public let templateOrder: [String]
        public let contentHandling: String?

        /// Whether this entry's parameter mappings read the backend body as JSON.
        public var readsResponseBody: Bool {
            headers.contains { if case .responseBody = $0.source { true } else { false } }
        }

        /// The response template for the client's `Accept`: its media type, else
        /// `application/json`, else the first defined (AWS: "If no Accept header … or no template
        /// matches, API Gateway uses the first template", with JSON preferred).
        public func template(accept: String?) -> (contentType: String, template: MappingTemplate)? {
            if let accept {
                for candidate in accept.split(separator: ",") {
                    let media = RestMediaType.of(String(candidate))
                    if let template = templates[media] { return (media, template) }
                }
            }
            if let template = templates["application/json"] { return ("application/json", template) }
            if let first = templateOrder.first, let template = templates[first] { return (first, template) }
            return nil
        }
    }

    public let entries: [Entry]
    public let defaultEntry: Entry?

    public init(_ responses: [String: IntegrationResponse], warnings: inout [String]) {
        var entries: [Entry] = []
        var defaultEntry: Entry?
        for (key, response) in responses.sorted(by: { $0.key < $1.key }) {
            guard let status = Int(response.statusCode) else {
                warnings.append("integration response \(key): status \(response.statusCode) is not a number; skipped")
                continue
            }
            var pattern: NSRegularExpression?
            let selection = response.selectionPattern.flatMap { $0.isEmpty ? nil : $0 }
            if let selection {
                do {
                    pattern = try NSRegularExpression(pattern: "^(?:" + selection + ")$", options: [.dotMatchesLineSeparators])
                } catch {
                    warnings.append("integration response \(key): selectionPattern \(selection) is not a valid regex; skipped")
                    continue
                }
            }
            var headers: [(name: String, source: RestValueSource)] = []
            for (name, value) in (response.responseParameters ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let header = name.after("method.response.header."), let source = RestValueSource(parsing: value) else {
                    warnings.append("integration response \(key): mapping \(name) = \(value) is not understood; skipped")
                    continue
                }
                headers.append((header, source))
            }
            var templates: [String: MappingTemplate] = [:]
            var order: [String] = []
            for (contentType, source) in (response.responseTemplates ?? [:]).sorted(by: { $0.key < $1.key }) {
                let media = RestMediaType.of(contentType)
                // An empty template passes the body through (AWS shows it as `null`).
                if source.isEmpty { continue }
                do {
                    templates[media] = try MappingTemplate(source: source)
                    order.append(media)
                } catch {
                    warnings.append("integration response \(key): template for \(contentType) does not compile: \(error)")
                }
            }
            let entry = Entry(
                statusCode: status, pattern: pattern, selectionPattern: selection, headers: headers, templates: templates,
                templateOrder: order, contentHandling: response.contentHandling)
            if pattern == nil {
                defaultEntry = entry
            } else {
                entries.append(entry)
            }
        }
        self.entries = entries
        self.defaultEntry = defaultEntry
    }

    /// The integration response for a backend status (or, for a MOCK, the request template's
    /// `statusCode`): the first whose pattern matches the whole text, else the default; nil when
    /// neither exists (AWS: "No match for output mapping and no default output mapping
    /// configured", a 500).
    public func select(_ text: String) -> Entry? {
        let range = NSRange(text.startIndex..., in: text)
        for entry in entries where entry.pattern?.firstMatch(in: text, range: range) != nil {
            return entry
        }
        return defaultEntry
    }
}

