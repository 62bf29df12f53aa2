/// Bounds on one template, so a hostile template or body cannot take the data plane down.
///
/// Defaults: API Gateway caps a mapping template at 300 KB (REST API quotas, "Mapping template
/// size") and a payload at 10 MB. AWS documents no `#foreach` cap for API Gateway; 1,000
/// iterations per loop is the cap AWS documents for its other VTL service (AppSync), and the
/// total across all loops bounds nested loops.
public struct MappingTemplateLimits: Sendable, Equatable {
    /// Largest template source accepted at compile time, in UTF-8 bytes.
    public var maxTemplateBytes: Int
    /// Most iterations of a single `#foreach`.
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
