/// One `$context` variable of an HTTP API access-log format, resolved once when the format is compiled so
/// that rendering is a `switch`, not a string lookup. Payload-free (names of authorizer values are indices
/// into a side table) so that walking the compiled format costs no reference counting.
///
/// The names and aliases follow AWS's "Customize HTTP API access logs" table (http-api-logging-variables).
enum AccessLogVariable: Sendable, Equatable {
    case accountId
    case apiId
    case awsEndpointRequestId  // also `integration.requestId`
    case awsEndpointRequestId2
    case customDomainBasePathMatched
    case dataProcessed
    case domainName
    case domainPrefix
    case errorMessage
    case errorMessageString
    case errorResponseType
    case extendedRequestId
    case httpMethod
    case identityAccountId
    case identityCaller
    case identityPrincipalOrgId
    case identitySourceIp
    case identityUser
    case identityUserAgent
    case identityUserArn
    case clientCertPem
    case clientCertSubjectDN
    case clientCertIssuerDN
    case clientCertSerialNumber
    case clientCertNotBefore
    case clientCertNotAfter
    case integrationError  // also `integrationErrorMessage`
    case integrationLatency  // also `integration.latency`
    case integrationStatus  // also `integration.status`, `integration.integrationStatus`
    case path
    case `protocol`
    case requestId
    case requestTime
    case requestTimeEpoch
    case responseLatency
    case responseLength
    case routeKey
    case stage
    case status
    case authorizerError
    case authorizerPrincipalId
    case authorizerLatency
    case authorizerStatus
    case authorizerIntegrationLatency
    case authorizerIntegrationStatus
    case authorizerRequestId
    /// WebSocket APIs (AWS's "Configure logging for WebSocket APIs" table): `connectionId`, `connectedAt`,
    /// `eventType`, `messageId` (messages only), `messageDirection` (`IN`), `identity.apiKeyId`.
    case connectionId
    case connectedAt
    case eventType
    case messageId
    case messageDirection
    case identityApiKeyId
    /// `authorizer.claims.<name>`: a JWT claim; the name is `AccessLogFormat.names[index]`.
    case authorizerClaim(Int)
    /// `authorizer.<key>`: a key of a Lambda authorizer's `context` map, at `AccessLogFormat.names[index]`.
    case authorizerProperty(Int)
    /// A variable AWS accepts for HTTP APIs but that needs AWS-only infrastructure (Cognito identity
    /// pools), or that AWS itself leaves empty for HTTP APIs (`resourcePath`, bare `authorizer.claims`).
    case unavailable
    /// Not an HTTP API variable at all; renders as `-`, and ``AccessLogFormat/validate(_:)`` rejects it.
    case unknown

    /// Resolves the part after `$context.`; authorizer value names are appended to `names`.
    init(name: String, names: inout [String]) {
        if let known = Self.fixedNames[name] {
            self = known
            return
        }
        let claimsPrefix = "authorizer.claims."
        let authorizerPrefix = "authorizer."
        if name.hasPrefix(claimsPrefix), name.utf8.count > claimsPrefix.utf8.count {
            names.append(String(name.dropFirst(claimsPrefix.count)))
            self = .authorizerClaim(names.count - 1)
        } else if name.hasPrefix(authorizerPrefix), name.utf8.count > authorizerPrefix.utf8.count {
            names.append(String(name.dropFirst(authorizerPrefix.count)))
            self = .authorizerProperty(names.count - 1)
        } else {
            self = .unknown
        }
    }

    /// Whether HTTP APIs accept the variable `$context.<name>` (see ``AccessLogFormat/validate(_:)``).
    static func isSupported(name: String, webSocket: Bool = false) -> Bool {
        var names: [String] = []
        let variable = AccessLogVariable(name: name, names: &names)
        if !webSocket, variable.isWebSocketOnly || webSocketOnlyUnavailable.contains(name) { return false }
        return variable != .unknown
    }

    /// Variables only WebSocket APIs have.
    var isWebSocketOnly: Bool {
        switch self {
        case .connectionId, .connectedAt, .eventType, .messageId, .messageDirection, .identityApiKeyId: true
        default: false
        }
    }

    /// WebSocket variables Portico accepts but leaves empty: `identity.apiKey` is a secret (Portico writes no
    /// key into a log; `identity.apiKeyId` names it).
    private static let webSocketOnlyUnavailable: Set<String> = ["identity.apiKey"]

    private static let fixedNames: [String: AccessLogVariable] = [
        "accountId": .accountId,
        "apiId": .apiId,
        "awsEndpointRequestId": .awsEndpointRequestId,
        "awsEndpointRequestId2": .awsEndpointRequestId2,
        "customDomain.basePathMatched": .customDomainBasePathMatched,
        "dataProcessed": .dataProcessed,
        "domainName": .domainName,
        "domainPrefix": .domainPrefix,
        "error.message": .errorMessage,
        "error.messageString": .errorMessageString,
        "error.responseType": .errorResponseType,
        "extendedRequestId": .extendedRequestId,
        "httpMethod": .httpMethod,
        "identity.accountId": .identityAccountId,
        "identity.caller": .identityCaller,
        "identity.principalOrgId": .identityPrincipalOrgId,
        "identity.sourceIp": .identitySourceIp,
        "identity.user": .identityUser,
        "identity.userAgent": .identityUserAgent,
        "identity.userArn": .identityUserArn,
        "identity.clientCert.clientCertPem": .clientCertPem,
        "identity.clientCert.subjectDN": .clientCertSubjectDN,
        "identity.clientCert.issuerDN": .clientCertIssuerDN,
        "identity.clientCert.serialNumber": .clientCertSerialNumber,
        "identity.clientCert.validity.notBefore": .clientCertNotBefore,
        "identity.clientCert.validity.notAfter": .clientCertNotAfter,
        "identity.cognitoAuthenticationProvider": .unavailable,
        "identity.cognitoAuthenticationType": .unavailable,
        "identity.cognitoIdentityId": .unavailable,
        "identity.cognitoIdentityPoolId": .unavailable,
        "integration.error": .integrationError,
        "integration.integrationStatus": .integrationStatus,
        "integration.latency": .integrationLatency,
        "integration.requestId": .awsEndpointRequestId,
        "integration.status": .integrationStatus,
        "integrationErrorMessage": .integrationError,
        "integrationLatency": .integrationLatency,
        "integrationStatus": .integrationStatus,
        "path": .path,
        "protocol": .protocol,
        "requestId": .requestId,
        "requestTime": .requestTime,
        "requestTimeEpoch": .requestTimeEpoch,
        "resourcePath": .unavailable,
        "responseLatency": .responseLatency,
        "responseLength": .responseLength,
        "routeKey": .routeKey,
        "stage": .stage,
        "status": .status,
        "authorizer.claims": .unavailable,
        "authorizer.error": .authorizerError,
        "authorizer.principalId": .authorizerPrincipalId,
        "authorizer.latency": .authorizerLatency,
        "authorizer.status": .authorizerStatus,
        // REST APIs' names (AWS's "Variables for access logging"); HTTP APIs accept them too.
        "authorizer.integrationLatency": .authorizerIntegrationLatency,
        "authorizer.integrationStatus": .authorizerIntegrationStatus,
        // The authorizer function invocation's Lambda request id.
        "authorizer.requestId": .authorizerRequestId,
        "connectionId": .connectionId,
        "connectedAt": .connectedAt,
        "eventType": .eventType,
        "messageId": .messageId,
        "messageDirection": .messageDirection,
        "identity.apiKey": .unavailable,
        "identity.apiKeyId": .identityApiKeyId,
    ]
}
