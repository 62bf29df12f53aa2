public import PorticoModel

/// What one request offers a template: the body, the method request's parameters, `$context`
/// and `$stageVariables`. Cheap to build on the data plane: the body stays bytes until a
/// template asks for it (`$input.body` decodes it, `$input.json`/`$input.path` parse it once per
/// render), and `$context`/`$stageVariables` become template values only when referenced.
public struct MappingTemplateContext: Sendable {
    /// One request parameter, in the order the request carried it.
    public typealias Parameter = (name: String, value: String)

    /// The method request (or integration response) payload as received.
    public var body: [UInt8]
    /// `$input.params().path`: path parameters by name.
    public var pathParameters: [Parameter]
    /// `$input.params().querystring`: query string parameters (the last value of a repeated name).
    public var queryStringParameters: [Parameter]
    /// `$input.params().header`: header names as the client sent them (API Gateway matches
    /// them case-sensitively in `$input.params(name)`).
    public var headers: [Parameter]
    /// `$context`: `requestId`, `identity`, `authorizer`, … as the data plane knows them.
    /// `requestOverride` and `responseOverride` are added by the engine, and read back in
    /// `RenderResult`.
    public var context: [String: JSONValue]
    /// `$stageVariables`.
    public var stageVariables: [String: String]

    public init(
        body: [UInt8] = [],
        pathParameters: [Parameter] = [],
        queryStringParameters: [Parameter] = [],
        headers: [Parameter] = [],
        context: [String: JSONValue] = [:],
        stageVariables: [String: String] = [:]
    ) {
        self.body = body
        self.pathParameters = pathParameters
        self.queryStringParameters = queryStringParameters
        self.headers = headers
        self.context = context
        self.stageVariables = stageVariables
    }

    public init(
        body: String,
        pathParameters: [Parameter] = [],
        queryStringParameters: [Parameter] = [],
        headers: [Parameter] = [],
        context: [String: JSONValue] = [:],
        stageVariables: [String: String] = [:]
    ) {
        self.init(
            body: Array(body.utf8), pathParameters: pathParameters, queryStringParameters: queryStringParameters,
            headers: headers, context: context, stageVariables: stageVariables)
    }
}

/// The output of one render, with the overrides the template set through
/// `$context.requestOverride.*` and `$context.responseOverride.*`.
public struct RenderResult: Sendable, Equatable {
    public var body: String
    /// `$context.requestOverride.header.*`, `.path.*`, `.querystring.*`.
    public var requestOverride: Overrides
    /// `$context.responseOverride.header.*` (with `status` beside it).
    public var responseOverride: Overrides
    /// `$context.responseOverride.status`, when the template set it to a number.
    public var statusOverride: Int?

    public struct Overrides: Sendable, Equatable {
        public var header: [String: String] = [:]
        public var path: [String: String] = [:]
        public var querystring: [String: String] = [:]

        public init(header: [String: String] = [:], path: [String: String] = [:], querystring: [String: String] = [:]) {
            self.header = header
            self.path = path
            self.querystring = querystring
        }

        public var isEmpty: Bool { header.isEmpty && path.isEmpty && querystring.isEmpty }
    }

    public init(body: String, requestOverride: Overrides = .init(), responseOverride: Overrides = .init(), statusOverride: Int? = nil) {
        self.body = body
        self.requestOverride = requestOverride
        self.responseOverride = responseOverride
        self.statusOverride = statusOverride
    }
}
