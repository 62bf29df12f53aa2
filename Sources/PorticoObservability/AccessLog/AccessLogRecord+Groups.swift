extension AccessLogRecord {
    /// `$context.authorizer.*`: what a Lambda or JWT authorizer reported.
    public struct Authorizer: Sendable {
        /// `$context.authorizer.error`.
        public var error: String?
        /// `$context.authorizer.principalId`.
        public var principalId: String?
        /// `$context.authorizer.latency`.
        public var latencyMillis: Int?
        /// `$context.authorizer.status`: the status the authorizer step ended with (200 when it
        /// allowed the request; 401, 403 or 500 when it stopped it).
        public var status: Int?
        /// `$context.authorizer.integrationLatency`: the authorizer function's invocation, in ms
        /// (nil when the answer came from the cache or no function was called).
        public var integrationLatencyMillis: Int?
        /// `$context.authorizer.integrationStatus`: the status of the authorizer function's invocation.
        public var integrationStatus: Int?
        /// `$context.authorizer.requestId`: the authorizer function invocation's request id.
        public var requestId: String?
        /// `$context.authorizer.claims.<name>`: JWT claims, already turned into strings.
        public var claims: [String: String]
        /// `$context.authorizer.<key>`: a Lambda authorizer's `context` map, values already turned into strings.
        public var context: [String: String]

        public init(
            error: String? = nil,
            principalId: String? = nil,
            latencyMillis: Int? = nil,
            status: Int? = nil,
            integrationLatencyMillis: Int? = nil,
            integrationStatus: Int? = nil,
            claims: [String: String] = [:],
            context: [String: String] = [:]
        ) {
            self.error = error
            self.principalId = principalId
            self.latencyMillis = latencyMillis
            self.status = status
            self.integrationLatencyMillis = integrationLatencyMillis
            self.integrationStatus = integrationStatus
            self.claims = claims
            self.context = context
        }
    }

    /// `$context.identity.*` of a SigV4-signed request (IAM authorization).
    public struct CallerIdentity: Sendable {
        /// `$context.identity.accountId`.
        public var accountId: String?
        /// `$context.identity.caller`.
        public var caller: String?
        /// `$context.identity.user`.
        public var user: String?
        /// `$context.identity.userArn`.
        public var userArn: String?
        /// `$context.identity.principalOrgId`.
        public var principalOrgId: String?

        public init(
            accountId: String? = nil,
            caller: String? = nil,
            user: String? = nil,
            userArn: String? = nil,
            principalOrgId: String? = nil
        ) {
            self.accountId = accountId
            self.caller = caller
            self.user = user
            self.userArn = userArn
            self.principalOrgId = principalOrgId
        }
    }

    /// `$context.identity.clientCert.*`: the certificate a client presented for mutual TLS.
    public struct ClientCertificate: Sendable {
        /// `$context.identity.clientCert.clientCertPem`.
        public var pem: String?
        /// `$context.identity.clientCert.subjectDN`.
        public var subjectDN: String?
        /// `$context.identity.clientCert.issuerDN`.
        public var issuerDN: String?
        /// `$context.identity.clientCert.serialNumber`.
        public var serialNumber: String?
        /// `$context.identity.clientCert.validity.notBefore`.
        public var notBefore: String?
        /// `$context.identity.clientCert.validity.notAfter`.
        public var notAfter: String?

        public init(
            pem: String? = nil,
            subjectDN: String? = nil,
            issuerDN: String? = nil,
            serialNumber: String? = nil,
            notBefore: String? = nil,
            notAfter: String? = nil
        ) {
            self.pem = pem
            self.subjectDN = subjectDN
            self.issuerDN = issuerDN
            self.serialNumber = serialNumber
            self.notBefore = notBefore
            self.notAfter = notAfter
        }
    }
}

extension AccessLogRecord {
    /// `$context.connectionId`, `connectedAt`, `eventType`, `messageId`: one event of a WebSocket connection.
    public struct WebSocket: Sendable {
        public var connectionId: String
        /// Epoch milliseconds, as AWS's events give `connectedAt`.
        public var connectedAtMillis: Int64
        /// `CONNECT`, `MESSAGE` or `DISCONNECT`.
        public var eventType: String
        /// Messages only.
        public var messageId: String?
        /// `$context.identity.apiKeyId`: the id of the API key the connection presented, when it is a known key.
        public var apiKeyId: String?

        public init(connectionId: String, connectedAtMillis: Int64, eventType: String, messageId: String? = nil, apiKeyId: String? = nil) {
            self.connectionId = connectionId
            self.connectedAtMillis = connectedAtMillis
            self.eventType = eventType
            self.messageId = messageId
            self.apiKeyId = apiKeyId
        }
    }
}
