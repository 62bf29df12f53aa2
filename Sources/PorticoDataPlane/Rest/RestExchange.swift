import NIOHTTP1
import PorticoModel
import PorticoRuntime

/// What the REST pipeline knows about one request, from its resolution to its answer. Parsed
/// parts (query, headers, `$context`) are built once per request and only for REST APIs.
final class RestExchange {
    let api: RestRuntimeApi
    let apiPath: Substring
    let rawQuery: Substring
    let domainName: Substring
    /// `$context.requestId`: a UUID, as REST APIs' `x-amzn-RequestId` is.
    let requestId: String
    var stage: RestRuntimeStage?
    var deployment: RestRuntimeDeployment?
    var method: RestRuntimeMethod?
    var stagePath: Substring = "/"
    var pathParameters: [(name: String, value: String)] = []
    var body: [UInt8] = []
    /// The body arrived with a `Content-Encoding` and was decoded (`RestPipeline+Compression`).
    var bodyWasDecoded = false
    var call: RestUpstreamCall?
    /// What the method's Lambda authorizer allowed (`$context.authorizer`, `requestContext.authorizer`).
    var authorization: RestAuthorization?
    /// The IAM user that signed an `AWS_IAM` request (`$context.identity.*`, `requestContext.identity`).
    var iamPrincipal: IamCredentialTable.Principal?
    /// `$context` for templates, built once the method is known.
    var contextCache: [String: JSONValue]?
    /// The trace header: the client's, or a new X-Ray root (`Root=1-{epoch hex}-{96 bits hex}`).
    let traceId: String

    private(set) lazy var queryParameters: [(String, String)] = ProxyRequest.parseQuery(rawQuery)
    private var bodyJSONParsed = false
    private var bodyJSONValue: JSONValue?

    init(
        api: RestRuntimeApi, apiPath: Substring, rawQuery: Substring, domainName: Substring, head: HTTPRequestHead, ids: RequestIdGenerator,
        startWallMillis: Int64
    ) {
        self.api = api
        self.apiPath = apiPath
        self.rawQuery = rawQuery
        self.domainName = domainName
        self.requestId = ids.makeUUID()
        self.traceId = head.headers.first(name: "x-amzn-trace-id") ?? ids.makeTraceId(epochSeconds: startWallMillis / 1000)
    }

    /// The request body as JSON (parsed at most once), for `method.request.body.*` mappings.
    var bodyJSON: JSONValue? {
        if !bodyJSONParsed {
            bodyJSONParsed = true
            bodyJSONValue = JSONValue.parse(body)
        }
        return bodyJSONValue
    }

    /// The last value of a header, matched case-insensitively.
    func header(_ name: String, in head: HTTPRequestHead) -> String? {
        // Not `headers[name].last`, which builds an array of every value first.
        var last: String?
        for (candidate, value) in head.headers where HeaderName.equal(candidate[...], name) { last = value }
        return last
    }

    func query(_ name: String) -> String? {
        queryParameters.last { $0.0 == name }?.1
    }
}
