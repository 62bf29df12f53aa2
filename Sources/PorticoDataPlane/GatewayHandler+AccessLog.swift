import Logging
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoObservability
import PorticoRuntime

/// Metrics and the access-log line for a finished exchange.
extension GatewayHandler {
    func record(_ exchange: Exchange) {
        if let stage = exchange.stage, stage.webSocket != nil, recordWebSocket(exchange, stage: stage) { return }
        let latencyNanos = (NIODeadline.now() - exchange.start).nanoseconds
        if let route = exchange.route {
            route.metrics.record(
                status: exchange.responseStatus, latencyNanoseconds: latencyNanos,
                integrationLatencyNanoseconds: exchange.integrationLatencyNanos)
        }
        guard let stage = exchange.stage, let accessLog = stage.accessLog else { return }
        // One record per connection, filled in place and rendered in place (`inout` all the way): a
        // record built per request from another module, or moved in and out of this property, was
        // copied and destroyed whole, a retain and a release per field.
        if spareLogRecord == nil { spareLogRecord = AccessLogRecord() }
        let format = accessLog.format
        fill(&spareLogRecord!, exchange, stage: stage, format: format, latencyNanos: latencyNanos)
        logBuffer.removeAll(keepingCapacity: true)
        format.render(&spareLogRecord!, into: &logBuffer)
        accessLog.writer.write(logBuffer)
    }

    /// Every field of the access-log record is assigned, each request (the record is reused).
    private func fill(_ record: inout AccessLogRecord, _ exchange: Exchange, stage: RuntimeStage, format: AccessLogFormat, latencyNanos: Int64) {
        // REST APIs' `$context.requestId` is the UUID of `x-amzn-RequestId`.
        record.requestId = exchange.rest?.requestId ?? exchange.requestId
        record.extendedRequestId = exchange.requestId
        record.apiId = stage.apiId
        record.stage = stage.name
        record.routeKey = exchange.route?.routeKey ?? "-"
        record.httpMethod = exchange.head.method.rawValue
        record.path = format.usesPath ? stage.contextPath(exchange.stagePath) : ""
        record.protocol = exchange.head.version.minor == 0 ? "HTTP/1.0" : "HTTP/1.1"
        record.sourceIp = clientAddress
        record.userAgent = format.usesUserAgent ? exchange.head.headers.first(name: "user-agent") ?? "-" : ""
        record.domainName = format.usesDomainName ? String(exchange.domainName) : ""
        record.domainPrefix = format.usesDomainPrefix ? RuntimeStage.domainPrefix(String(exchange.domainName)) : ""
        record.accountId = configuration.accountId
        record.requestTimeEpochMillis = exchange.startWallMillis
        record.status = exchange.responseStatus
        record.responseLength = exchange.responseBytes
        record.responseLatencyMillis = Int(latencyNanos / 1_000_000)
        record.integrationLatencyMillis = exchange.integrationLatencyNanos.map { Int($0 / 1_000_000) }
        record.integrationStatus = exchange.integrationStatus
        record.awsEndpointRequestId = exchange.integrationRequestId
        record.integrationErrorMessage = exchange.integrationError
        record.errorMessage = exchange.errorMessage
        record.errorResponseType = exchange.errorType
        record.authorizer = exchange.authorizerLog
        if let iam = exchange.iamPrincipal ?? exchange.rest?.iamPrincipal {
            record.callerIdentity = AccessLogRecord.CallerIdentity(
                accountId: iam.accountId, caller: iam.userId, user: iam.userId, userArn: iam.userArn)
        } else {
            record.callerIdentity = nil
        }
        // Never set on this path; kept empty for the record's next use.
        assert(record.awsEndpointRequestId2 == nil && record.customDomainBasePathMatched == nil)
        assert(record.dataProcessed == nil && record.clientCertificate == nil && record.webSocket == nil)
    }
}
