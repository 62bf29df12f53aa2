/// What the data plane knows about one finished request, for `$context` access-log variables.
///
/// The data plane fills one per request and hands it to ``AccessLogFormat/render(_:into:)``. It is a plain
/// value with stored properties so that filling it costs no allocation beyond the strings it already holds.
///
/// Empty strings, `nil` and (for ``status``) zero render as `-`, the way API Gateway shows a value it does
/// not have. Fields after ``errorResponseType`` are optional extras for variables that only some routes
/// produce (integration endpoints, custom domains, authorizers, IAM, mutual TLS); they default to "not
/// available". Those that come in groups are grouped in optional structs, so that a record without them
/// (the common case) costs one check, not one release per field, when it is destroyed.
///
/// Build it as a local (or `let`) and pass it straight to ``AccessLogFormat/render(_:into:)``: a record kept
/// in a class property is copied at each use, retaining and releasing each of its strings, unless it is
/// filled and rendered through `inout` access (the HTTP data plane reuses one per connection that way).
///
/// Time semantics: ``requestTimeEpochMillis`` is the wall-clock time at which the request head was
/// received, in milliseconds since 1970 (UTC). `$context.requestTimeEpoch` prints it as is;
/// `$context.requestTime` prints the same instant truncated to the second, in UTC (`+0000`). Latencies are
/// whole milliseconds as the data plane measured them (API Gateway also logs whole milliseconds).
public struct AccessLogRecord: Sendable {
    /// `$context.requestId`.
    public var requestId: String
    /// `$context.extendedRequestId`.
    public var extendedRequestId: String
    /// `$context.apiId`.
    public var apiId: String
    /// `$context.stage`.
    public var stage: String
    /// `$context.routeKey`, for example `GET /items/{id}` or `$default`.
    public var routeKey: String
    /// `$context.httpMethod`.
    public var httpMethod: String
    /// `$context.path`, the request path as the client sent it (without the query string).
    public var path: String
    /// `$context.protocol`, for example `HTTP/1.1`.
    public var `protocol`: String
    /// `$context.identity.sourceIp`.
    public var sourceIp: String
    /// `$context.identity.userAgent`.
    public var userAgent: String
    /// `$context.domainName`.
    public var domainName: String
    /// `$context.domainPrefix`, the first label of ``domainName``.
    public var domainPrefix: String
    /// `$context.accountId`, the API owner's account.
    public var accountId: String
    /// `$context.requestTimeEpoch` (and, to the second, `$context.requestTime`).
    public var requestTimeEpochMillis: Int64
    /// `$context.status`, the status sent to the client; `0` (no response was sent) renders as `-`.
    public var status: Int
    /// `$context.responseLength`, bytes of response body sent.
    public var responseLength: Int
    /// `$context.responseLatency`.
    public var responseLatencyMillis: Int
    /// `$context.integrationLatency` and `$context.integration.latency`.
    public var integrationLatencyMillis: Int?
    /// `$context.integrationStatus`, `$context.integration.status` and `$context.integration.integrationStatus`.
    public var integrationStatus: Int?
    /// `$context.integrationErrorMessage` and `$context.integration.error`.
    public var integrationErrorMessage: String?
    /// `$context.error.message` (and, quoted, `$context.error.messageString`).
    public var errorMessage: String?
    /// `$context.error.responseType`, a gateway response type such as `THROTTLED` or `INTEGRATION_FAILURE`.
    public var errorResponseType: String?

    /// `$context.awsEndpointRequestId` and `$context.integration.requestId`: the request id the integration
    /// endpoint reported (for a Lambda integration, the invocation's request id).
    public var awsEndpointRequestId: String?
    /// `$context.awsEndpointRequestId2`.
    public var awsEndpointRequestId2: String?
    /// `$context.customDomain.basePathMatched`, the API mapping key a custom-domain request matched.
    public var customDomainBasePathMatched: String?
    /// `$context.dataProcessed`, bytes processed (request plus response).
    public var dataProcessed: Int?
    /// What an authorizer reported, if the route has one.
    public var authorizer: Authorizer?
    /// The IAM identity of a SigV4-signed request, on routes with IAM authorization.
    public var callerIdentity: CallerIdentity?
    /// The client certificate of a mutual-TLS connection.
    public var clientCertificate: ClientCertificate?
    /// The WebSocket connection and event, on WebSocket API stages.
    public var webSocket: WebSocket?

    /// A record with every field empty, zero or `nil`.
    /// Inlinable so that the caller builds the record in place: called across the module boundary, the
    /// empty record was built, copied out and destroyed again, retaining and releasing every field.
    @inlinable
    public init() {
        self.requestId = ""
        self.extendedRequestId = ""
        self.apiId = ""
        self.stage = ""
        self.routeKey = ""
        self.httpMethod = ""
        self.path = ""
        self.protocol = ""
        self.sourceIp = ""
        self.userAgent = ""
        self.domainName = ""
        self.domainPrefix = ""
        self.accountId = ""
        self.requestTimeEpochMillis = 0
        self.status = 0
        self.responseLength = 0
        self.responseLatencyMillis = 0
        self.integrationLatencyMillis = nil
        self.integrationStatus = nil
        self.integrationErrorMessage = nil
        self.errorMessage = nil
        self.errorResponseType = nil
        self.awsEndpointRequestId = nil
        self.awsEndpointRequestId2 = nil
        self.customDomainBasePathMatched = nil
        self.dataProcessed = nil
        self.authorizer = nil
        self.callerIdentity = nil
        self.clientCertificate = nil
        self.webSocket = nil
    }
}
