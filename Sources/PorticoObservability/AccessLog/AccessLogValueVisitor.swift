/// Receives the value of one ``AccessLogVariable`` from a record, typed by how it is formatted.
///
/// A visitor rather than a returned value so that strings are passed straight from the record, borrowed:
/// building an enum of them would retain and release every string of every line, which measured as the
/// largest cost of rendering.
protocol AccessLogValueVisitor {
    mutating func string(_ value: String)
    mutating func optionalString(_ value: String?)
    /// `$context.error.messageString`: the string in double quotes.
    mutating func quotedString(_ value: String?)
    mutating func number(_ value: Int64)
    mutating func optionalNumber(_ value: Int?)
    mutating func requestTime(_ epochMillis: Int64)
    /// A value that is never available here.
    mutating func dash()
}

extension AccessLogVariable {
    @inline(__always)
    func visit<Visitor: AccessLogValueVisitor>(in record: AccessLogRecord, names: [String], _ visitor: inout Visitor) {
        switch self {
        case .accountId: visitor.string(record.accountId)
        case .apiId: visitor.string(record.apiId)
        case .awsEndpointRequestId: visitor.optionalString(record.awsEndpointRequestId)
        case .awsEndpointRequestId2: visitor.optionalString(record.awsEndpointRequestId2)
        case .customDomainBasePathMatched: visitor.optionalString(record.customDomainBasePathMatched)
        case .dataProcessed: visitor.optionalNumber(record.dataProcessed)
        case .domainName: visitor.string(record.domainName)
        case .domainPrefix: visitor.string(record.domainPrefix)
        case .errorMessage: visitor.optionalString(record.errorMessage)
        // "The quoted value of $context.error.message". Quoted even when absent, so that a JSON format using
        // it as a bare value (`"message": $context.error.messageString`) stays valid JSON.
        case .errorMessageString: visitor.quotedString(record.errorMessage)
        case .errorResponseType: visitor.optionalString(record.errorResponseType)
        case .extendedRequestId: visitor.string(record.extendedRequestId)
        case .httpMethod: visitor.string(record.httpMethod)
        case .identityAccountId: visitor.optionalString(record.callerIdentity?.accountId)
        case .identityCaller: visitor.optionalString(record.callerIdentity?.caller)
        case .identityPrincipalOrgId: visitor.optionalString(record.callerIdentity?.principalOrgId)
        case .identitySourceIp: visitor.string(record.sourceIp)
        case .identityUser: visitor.optionalString(record.callerIdentity?.user)
        case .identityUserAgent: visitor.string(record.userAgent)
        case .identityUserArn: visitor.optionalString(record.callerIdentity?.userArn)
        case .clientCertPem: visitor.optionalString(record.clientCertificate?.pem)
        case .clientCertSubjectDN: visitor.optionalString(record.clientCertificate?.subjectDN)
        case .clientCertIssuerDN: visitor.optionalString(record.clientCertificate?.issuerDN)
        case .clientCertSerialNumber: visitor.optionalString(record.clientCertificate?.serialNumber)
        case .clientCertNotBefore: visitor.optionalString(record.clientCertificate?.notBefore)
        case .clientCertNotAfter: visitor.optionalString(record.clientCertificate?.notAfter)
        case .integrationError: visitor.optionalString(record.integrationErrorMessage)
        case .integrationLatency: visitor.optionalNumber(record.integrationLatencyMillis)
        case .integrationStatus: visitor.optionalNumber(record.integrationStatus)
        case .path: visitor.string(record.path)
        case .protocol: visitor.string(record.protocol)
        case .requestId: visitor.string(record.requestId)
        case .requestTime: visitor.requestTime(record.requestTimeEpochMillis)
        case .requestTimeEpoch: visitor.number(record.requestTimeEpochMillis)
        case .responseLatency: visitor.number(Int64(record.responseLatencyMillis))
        case .responseLength: visitor.number(Int64(record.responseLength))
        case .routeKey: visitor.string(record.routeKey)
        case .stage: visitor.string(record.stage)
        // No status means no response was sent (the client went away first).
        case .status: visitor.optionalNumber(record.status > 0 ? record.status : nil)
        case .authorizerError: visitor.optionalString(record.authorizer?.error)
        case .authorizerPrincipalId: visitor.optionalString(record.authorizer?.principalId)
        case .authorizerLatency: visitor.optionalNumber(record.authorizer?.latencyMillis)
        case .authorizerStatus: visitor.optionalNumber(record.authorizer?.status)
        case .authorizerIntegrationLatency: visitor.optionalNumber(record.authorizer?.integrationLatencyMillis)
        case .authorizerIntegrationStatus: visitor.optionalNumber(record.authorizer?.integrationStatus)
        case .authorizerRequestId: visitor.optionalString(record.authorizer?.requestId)
        case .authorizerClaim(let index): visitor.optionalString(record.authorizer?.claims[names[index]])
        case .authorizerProperty(let index): visitor.optionalString(record.authorizer?.context[names[index]])
        case .connectionId: visitor.optionalString(record.webSocket?.connectionId)
        case .connectedAt: visitor.optionalNumber(record.webSocket.map { Int($0.connectedAtMillis) })
        case .eventType: visitor.optionalString(record.webSocket?.eventType)
        case .messageId: visitor.optionalString(record.webSocket?.messageId)
        case .messageDirection: visitor.optionalString(record.webSocket == nil ? nil : "IN")
        case .identityApiKeyId: visitor.optionalString(record.webSocket?.apiKeyId)
        case .unavailable, .unknown: visitor.dash()
        }
    }
}
