/// Bounds on one template, so a hostile template or body cannot take the data plane down.
///
/// Defaults are AWS's quotas for REST APIs ("Quotas for configuring and running a REST API"):
/// "Number of iterations in a `#foreach ... #end` loop in mapping templates: 1000", "Maximum
/// mapping template size: 300 KB", "Payload size: 10 MB". The total across all loops and the
/// nesting depth are Portico's own guards (nested loops, recursion on hostile input).
public struct MappingTemplateLimits: Sendable, Equatable {
    /// Largest template source accepted at compile time, in UTF-8 bytes.
    public var maxTemplateBytes: Int
    /// Most iterations of a single `#foreach` (AWS: 1000); one more is a render error.
    public var maxForeachIterations: Int
    /// Most `#foreach` iterations in one render, all loops together.
    public var maxTotalIterations: Int
    /// Largest rendered output, in UTF-8 bytes.
    public var maxOutputBytes: Int
    /// Deepest nesting of directives and expressions accepted at compile time; keeps the
    /// recursive parser and evaluator well inside a thread's stack.
    public var maxNestingDepth: Int

    public init(
        maxTemplateBytes: Int = 300 * 1024,
        maxForeachIterations: Int = 1_000,
        maxTotalIterations: Int = 100_000,
        maxOutputBytes: Int = 10 * 1024 * 1024,
        maxNestingDepth: Int = 64
    ) {
        self.maxTemplateBytes = maxTemplateBytes
        self.maxForeachIterations = maxForeachIterations
        self.maxTotalIterations = maxTotalIterations
        self.maxOutputBytes = maxOutputBytes
        self.maxNestingDepth = maxNestingDepth
    }
}
