/// A template that does not parse. Raised when a deployment is compiled, so a broken template is
/// reported once with its position rather than on every request.
public struct TemplateSyntaxError: Error, CustomStringConvertible, Equatable, Sendable {
    /// 1-based line of the problem in the template source.
    public let line: Int
    /// 1-based column (in Unicode scalars) of the problem.
    public let column: Int
    public let message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// A failure while rendering: bad JSON in the body or in `$util.parseJson`, a bad JSONPath, a
/// limit reached. API Gateway answers such requests with a 500 (request templates) or a 500
/// `Internal server error` (response templates); the data plane decides which.
public struct TemplateRenderError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Kinds of render failure; a struct so that kinds can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: Hashable, Sendable {
            case invalidJSON, invalidJSONPath, invalidArgument, loopLimit, outputLimit, nestingTooDeep
        }

        fileprivate let base: Base

        public static let invalidJSON = Code(base: .invalidJSON)
        public static let invalidJSONPath = Code(base: .invalidJSONPath)
        public static let invalidArgument = Code(base: .invalidArgument)
        public static let loopLimit = Code(base: .loopLimit)
        public static let outputLimit = Code(base: .outputLimit)
        public static let nestingTooDeep = Code(base: .nestingTooDeep)

        /// Short and stable: safe as a metric label.
        public var description: String {
            switch base {
            case .invalidJSON: "invalid_json"
            case .invalidJSONPath: "invalid_jsonpath"
            case .invalidArgument: "invalid_argument"
            case .loopLimit: "loop_limit"
            case .outputLimit: "output_limit"
            case .nestingTooDeep: "nesting_too_deep"
            }
        }
    }

    public let code: Code
    public let message: String

    public var description: String { "\(code): \(message)" }

    static func invalidJSON(_ message: String) -> Self { .init(code: .invalidJSON, message: message) }
    static func invalidJSONPath(_ path: String) -> Self { .init(code: .invalidJSONPath, message: "invalid JSONPath expression \(path)") }
    static func invalidArgument(_ message: String) -> Self { .init(code: .invalidArgument, message: message) }
    static func loopLimit(_ limit: Int) -> Self { .init(code: .loopLimit, message: "#foreach ran more than \(limit) iterations") }
    static func outputLimit(_ limit: Int) -> Self { .init(code: .outputLimit, message: "output passed \(limit) bytes") }
    static func nestingTooDeep() -> Self { .init(code: .nestingTooDeep, message: "values nested more than \(TemplateValue.maxNesting) deep") }
}
