/// Chooses an integration request's mapping template by the request's `Content-Type`, or decides
/// to pass the payload through or reject it, per the integration's `passthroughBehavior`
/// (AWS: "Integration passthrough behaviors", for non-proxy integrations).
///
/// Built once per deployment from the integration's `requestTemplates`.
public struct RequestTemplateSelector: Sendable {
    /// The integration's `passthroughBehavior`.
    public enum PassthroughBehavior: String, Sendable, CaseIterable {
        /// The default: a payload whose content type has no template goes through as it is.
        case whenNoMatch = "WHEN_NO_MATCH"
        /// Pass through only when the integration has no templates at all; otherwise 415.
        case whenNoTemplates = "WHEN_NO_TEMPLATES"
        /// Never pass through: no matching template is a 415.
        case never = "NEVER"
    }

    public enum Selection: Sendable {
        case transform(MappingTemplate)
        /// Send the payload to the integration unchanged.
        case passThrough
        /// Answer `415 Unsupported Media Type`.
        case unsupportedMediaType
    }

    /// Templates by lower-cased media type (`application/json`).
    private let templates: [String: MappingTemplate]
    public let passthroughBehavior: PassthroughBehavior

    public init(templates: [String: MappingTemplate], passthroughBehavior: PassthroughBehavior = .whenNoMatch) {
        var byMediaType: [String: MappingTemplate] = [:]
        for (contentType, template) in templates { byMediaType[Self.mediaType(contentType)] = template }
        self.templates = byMediaType
        self.passthroughBehavior = passthroughBehavior
    }

    /// The decision for a request with this `Content-Type` header value (nil when absent, which
    /// API Gateway reads as `application/json`).
    public func select(contentType: String?) -> Selection {
        let mediaType = contentType.map(Self.mediaType) ?? "application/json"
        if let template = templates[mediaType.isEmpty ? "application/json" : mediaType] { return .transform(template) }
        switch passthroughBehavior {
        case .whenNoMatch: return .passThrough
        case .whenNoTemplates: return templates.isEmpty ? .passThrough : .unsupportedMediaType
        case .never: return .unsupportedMediaType
        }
    }

    /// `Application/JSON; charset=utf-8` → `application/json`: parameters do not select a
    /// different template.
    static func mediaType(_ contentType: String) -> String {
        let end = contentType.firstIndex(of: ";") ?? contentType.endIndex
        return String(contentType[..<end]).trimmingSpaces.lowercased()
    }
}
