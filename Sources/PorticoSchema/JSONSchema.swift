public import PorticoModel

/// A JSON Schema (draft 4) compiled once for validating many values: every keyword checked, patterns
/// compiled, `$ref`s resolved (within the document and to other models of the same REST API).
/// Immutable and `Sendable`; share one per model across event loops.
///
/// ```swift
/// let schema = try JSONSchema(compiling: modelJSON) { reference in otherModels[reference.modelName] }
/// if !schema.isValid(body) { … }            // hot path: no failure is built
/// let failures = schema.validate(body)       // every failure, with paths and messages
/// ```
public struct JSONSchema: Sendable {
    /// Bounds that keep validation finite and the stack shallow.
    public struct Limits: Sendable, Equatable {
        /// How deep validation may go (each nested value, `$ref`, `allOf`… is one level). A value
        /// deeper than this fails with keyword `"$depth"` rather than overflowing the stack.
        public var maxDepth: Int
        /// How deeply schema objects may nest inside one another; deeper schemas don't compile.
        public var maxSchemaDepth: Int

        public init(maxDepth: Int = 200, maxSchemaDepth: Int = 100) {
            self.maxDepth = maxDepth
            self.maxSchemaDepth = maxSchemaDepth
        }
    }

    let program: SchemaProgram

    /// Compiles `schema`.
    /// - Parameters:
    ///   - schema: the schema document (a JSON object).
    ///   - limits: depth bounds.
    ///   - models: the schema of another model of the same API, for `$ref`s of the form
    ///     `https://apigateway.amazonaws.com/restapis/{restapi_id}/models/{model_name}`; nil if there is none.
    /// - Throws: ``SchemaError`` naming the keyword and the JSON pointer of the schema object at fault.
    public init(
        compiling schema: JSONValue, limits: Limits = Limits(), models: (ModelReference) -> JSONValue? = { _ in nil }
    ) throws(SchemaError) {
        let (nodes, root) = try withoutActuallyEscaping(models) { lookup throws(SchemaError) in
            var compiler = SchemaCompiler(root: schema, limits: limits, modelLookup: lookup)
            let root = try compiler.compileRoot()
            return (compiler.nodes, root)
        }
        program = SchemaProgram(nodes: nodes, root: root, maxDepth: limits.maxDepth)
    }

    /// Compiles a schema kept as text (a model's `schema` member).
    public init(
        compilingText text: String, limits: Limits = Limits(), models: (ModelReference) -> JSONValue? = { _ in nil }
    ) throws(SchemaError) {
        guard let value = JSONSchema.parse(Array(text.utf8)) else {
            throw SchemaError(keyword: "", pointer: "#", reason: "the schema is not valid JSON")
        }
        try self.init(compiling: value, limits: limits, models: models)
    }

    /// Whether `value` satisfies the schema. Stops at the first failure and builds no messages.
    public func isValid(_ value: JSONValue) -> Bool {
        var evaluator = SchemaEvaluator(program: program, collect: false)
        return evaluator.check(value, program.root)
    }

    /// Every way `value` breaks the schema; empty when it is valid.
    public func validate(_ value: JSONValue) -> [ValidationFailure] {
        var evaluator = SchemaEvaluator(program: program, collect: true)
        _ = evaluator.check(value, program.root)
        return evaluator.failures
    }

    /// Parses JSON text into a ``JSONValue``; nil when it is not JSON (see ``JSONParser``). Numbers
    /// without a fraction or exponent that fit 64 bits become `.integer`.
    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        JSONParser.parse(bytes)
    }
}

/// The compiled nodes. A class so that every copy of a ``JSONSchema`` shares one array.
final class SchemaProgram: Sendable {
    let nodes: [SchemaNode]
    let root: Int
    let maxDepth: Int

    init(nodes: [SchemaNode], root: Int, maxDepth: Int) {
        self.nodes = nodes
        self.root = root
        self.maxDepth = maxDepth
    }
}
