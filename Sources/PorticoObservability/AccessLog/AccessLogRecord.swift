/// What the data plane knows about one finished request, for `$context` access-log variables.
///
/// The data plane fills one per request and hands it to ``AccessLogFormat/render(_:into:)``. It is a plain
/// value with stored properties so that filling it costs no allocation beyond the strings it already holds.
///
/// Empty strings, `nil` and (for ``status``) zero render as `-`, the way API Gateway shows a value it does
/// not have. Fields after ``errorResponseType`` are optional extras for variables that only some routes
/// produce (authorizers, IAM, mutual TLS, custom domains); they default to "not available".
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
    /// `$context.authorizer.error`.
    public var authorizerError: String?
    /// `$context.authorizer.principalId`.
    public var authorizerPrincipalId: String?
    /// `$context.authorizer.latency`.
    public var authorizerLatencyMillis: Int?
    /// `$context.authorizer.status`.
    public var authorizerStatus: Int?
    /// `$context.authorizer.claims.<name>`: JWT claims, already turned into strings.
    public var authorizerClaims: [String: String]
    /// `$context.authorizer.<key>`: the Lambda authorizer's `context` map, values already turned into strings.
    public var authorizerContext: [String: String]
    /// `$context.identity.accountId` (IAM authorization).
    public var identityAccountId: String?
    /// `$context.identity.caller` (IAM authorization).
    public var identityCaller: String?
    /// `$context.identity.user` (IAM authorization).
    public var identityUser: String?
    /// `$context.identity.userArn` (IAM authorization).
    public var identityUserArn: String?
    /// `$context.identity.principalOrgId` (IAM authorization).
    public var identityPrincipalOrgId: String?
    /// `$context.identity.clientCert.clientCertPem` (mutual TLS).
    public var clientCertPem: String?
    /// `$context.identity.clientCert.subjectDN` (mutual TLS).
    public var clientCertSubjectDN: String?
    /// `$context.identity.clientCert.issuerDN` (mutual TLS).
    public var clientCertIssuerDN: String?
    /// `$context.identity.clientCert.serialNumber` (mutual TLS).
    public var clientCertSerialNumber: String?
    /// `$context.identity.clientCert.validity.notBefore` (mutual TLS).
    public var clientCertNotBefore: String?
    /// `$context.identity.clientCert.validity.notAfter` (mutual TLS).
    public var clientCertNotAfter: String?

    /// A record with every field empty, zero or `nil`.
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
        self.authorizerError = nil
        self.authorizerPrincipalId = nil
        self.authorizerLatencyMillis = nil
        self.authorizerStatus = nil
        self.authorizerClaims = [:]
        self.authorizerContext = [:]
        self.identityAccountId = nil
        self.identityCaller = nil
        self.identityUser = nil
        self.identityUserArn = nil
        self.identityPrincipalOrgId = nil
        self.clientCertPem = nil
        self.clientCertSubjectDN = nil
        self.clientCertIssuerDN = nil
        self.clientCertSerialNumber = nil
        self.clientCertNotBefore = nil
        self.clientCertNotAfter = nil
    }
}
