extension AccessLogFormat {
    /// Appends one log line for `record`, terminated by `\n`, to `buffer`.
    ///
    /// Allocation-free apart from `buffer` growing: literals are precompiled bytes, numbers and times are
    /// written as digits in place, and strings are copied from their UTF-8 storage. Reuse one buffer per
    /// event loop (`removeAll(keepingCapacity: true)`) to make it allocation-free altogether.
    public func render(_ record: AccessLogRecord, into buffer: inout [UInt8]) {
        for segment in segments {
            switch segment {
            case .literal(let bytes):
                buffer.append(contentsOf: bytes)
            case .variable(let variable):
                appendValue(of: variable, from: record, into: &buffer)
            }
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    private func appendValue(of variable: AccessLogVariable, from record: AccessLogRecord, into buffer: inout [UInt8]) {
        switch variable {
        case .accountId: appendString(record.accountId, into: &buffer)
        case .apiId: appendString(record.apiId, into: &buffer)
        case .awsEndpointRequestId: appendString(record.awsEndpointRequestId, into: &buffer)
        case .awsEndpointRequestId2: appendString(record.awsEndpointRequestId2, into: &buffer)
        case .customDomainBasePathMatched: appendString(record.customDomainBasePathMatched, into: &buffer)
        case .dataProcessed: appendNumber(record.dataProcessed, into: &buffer)
        case .domainName: appendString(record.domainName, into: &buffer)
        case .domainPrefix: appendString(record.domainPrefix, into: &buffer)
        case .errorMessage: appendString(record.errorMessage, into: &buffer)
        case .errorMessageString:
            // "The quoted value of $context.error.message". Quoted even when absent, so that a JSON format
            // using it as a bare value (`"message": $context.error.messageString`) stays valid JSON.
            buffer.append(UInt8(ascii: "\""))
            appendString(record.errorMessage, into: &buffer)
            buffer.append(UInt8(ascii: "\""))
        case .errorResponseType: appendString(record.errorResponseType, into: &buffer)
        case .extendedRequestId: appendString(record.extendedRequestId, into: &buffer)
        case .httpMethod: appendString(record.httpMethod, into: &buffer)
        case .identityAccountId: appendString(record.identityAccountId, into: &buffer)
        case .identityCaller: appendString(record.identityCaller, into: &buffer)
        case .identityPrincipalOrgId: appendString(record.identityPrincipalOrgId, into: &buffer)
        case .identitySourceIp: appendString(record.sourceIp, into: &buffer)
        case .identityUser: appendString(record.identityUser, into: &buffer)
        case .identityUserAgent: appendString(record.userAgent, into: &buffer)
        case .identityUserArn: appendString(record.identityUserArn, into: &buffer)
        case .clientCertPem: appendString(record.clientCertPem, into: &buffer)
        case .clientCertSubjectDN: appendString(record.clientCertSubjectDN, into: &buffer)
        case .clientCertIssuerDN: appendString(record.clientCertIssuerDN, into: &buffer)
        case .clientCertSerialNumber: appendString(record.clientCertSerialNumber, into: &buffer)
        case .clientCertNotBefore: appendString(record.clientCertNotBefore, into: &buffer)
        case .clientCertNotAfter: appendString(record.clientCertNotAfter, into: &buffer)
        case .integrationError: appendString(record.integrationErrorMessage, into: &buffer)
        case .integrationLatency: appendNumber(record.integrationLatencyMillis, into: &buffer)
        case .integrationStatus: appendNumber(record.integrationStatus, into: &buffer)
        case .path: appendString(record.path, into: &buffer)
        case .protocol: appendString(record.protocol, into: &buffer)
        case .requestId: appendString(record.requestId, into: &buffer)
        case .requestTime: CommonLogTime.append(epochMillis: record.requestTimeEpochMillis, into: &buffer)
        case .requestTimeEpoch: buffer.appendDecimal(record.requestTimeEpochMillis)
        case .responseLatency: buffer.appendDecimal(record.responseLatencyMillis)
        case .responseLength: buffer.appendDecimal(record.responseLength)
        case .routeKey: appendString(record.routeKey, into: &buffer)
        case .stage: appendString(record.stage, into: &buffer)
        case .status: appendNumber(record.status > 0 ? record.status : nil, into: &buffer)
        case .authorizerError: appendString(record.authorizerError, into: &buffer)
        case .authorizerPrincipalId: appendString(record.authorizerPrincipalId, into: &buffer)
        case .authorizerLatency: appendNumber(record.authorizerLatencyMillis, into: &buffer)
        case .authorizerStatus: appendNumber(record.authorizerStatus, into: &buffer)
        case .authorizerClaim(let name): appendString(record.authorizerClaims[name], into: &buffer)
        case .authorizerProperty(let key): appendString(record.authorizerContext[key], into: &buffer)
        case .unavailable, .unknown: buffer.append(UInt8(ascii: "-"))
        }
    }

    private func appendNumber(_ value: Int?, into buffer: inout [UInt8]) {
        if let value {
            buffer.appendDecimal(value)
        } else {
            buffer.append(UInt8(ascii: "-"))
        }
    }

    private func appendString(_ value: String?, into buffer: inout [UInt8]) {
        guard var string = value, !string.isEmpty else {
            buffer.append(UInt8(ascii: "-"))
            return
        }
        // Native Swift strings are contiguous UTF-8, so this is a no-op except for bridged ones.
        string.makeContiguousUTF8()
        _ = string.utf8.withContiguousStorageIfAvailable { bytes in
            AccessLogEscaper.append(bytes, escaping: escaping, into: &buffer)
        }
    }
}
