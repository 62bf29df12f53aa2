/// An API Gateway mapping template (Velocity Template Language), compiled once and rendered per
/// request.
///
/// ```swift
/// let template = try MappingTemplate(source: #"{"name": "$input.params('name')", "body": $input.json('$')}"#)
/// let result = try template.render(context: MappingTemplateContext(body: bytes, queryStringParameters: [("name", "x")]))
/// ```
///
/// Compiling parses the text, resolves variable names to slots, and compiles literal regexes and
/// JSONPaths, so a render only walks the tree and writes into one output string. The compiled
/// template is immutable and `Sendable`: one instance serves every event loop.
public struct MappingTemplate: Sendable {
    public let source: String
    public let limits: MappingTemplateLimits
    let nodes: [Node]
    let slotCount: Int
    /// The template's `#macro`s, by the number calls refer to.
    let macros: [Macro?]
    /// Whether the template may read the payload (`$input.body`, `$input.json`, `$input.path`).
    /// When it does not, the data plane need not buffer the body for it.
    public let readsBody: Bool

    /// Parses `source`; throws `TemplateSyntaxError` (with line and column) when it does not parse.
    public init(source: String, limits: MappingTemplateLimits = .init()) throws(TemplateSyntaxError) {
        guard source.utf8.count <= limits.maxTemplateBytes else {
            throw TemplateSyntaxError(line: 1, column: 1, message: "template is larger than \(limits.maxTemplateBytes) bytes")
        }
        var parser = Parser(source: source, limits: limits)
        nodes = try parser.parseTemplate()
        slotCount = parser.slotCount
        macros = parser.macros
        readsBody = parser.readsBody
        self.source = source
        self.limits = limits
    }

    /// Renders the template for one request. Throws `TemplateRenderError` for bad JSON, a bad
    /// JSONPath, an invalid argument to a `$util` function, or a limit reached.
    public func render(context: MappingTemplateContext) throws(TemplateRenderError) -> RenderResult {
        let evaluator = Evaluator(template: self, input: context)
        return try evaluator.render()
    }
}
