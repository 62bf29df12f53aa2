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
        var record = AccessLogRecord()
        // REST APIs' `$context.requestId` is the UUID of `x-amzn-RequestId`.
        record.requestId = exchange.rest?.requestId ?? exchange.requestId
        record.extendedRequestId = exchange.requestId
        record.apiId = stage.apiId
        record.stage = stage.name
        record.routeKey = exchange.route?.routeKey ?? "-"
        record.httpMethod = exchange.head.method.rawValue
        let format = accessLog.format
        if format.usesPath { record.path = stage.contextPath(exchange.stagePath) }
        record.protocol = exchange.head.version.minor == 0 ? "HTTP/1.0" : "HTTP/1.1"
        record.sourceIp = clientAddress
        if format.usesUserAgent { record.userAgent = exchange.head.headers.first(name: "user-agent") ?? "-" }
        if format.usesDomainName { record.domainName = String(exchange.domainName) }
        if format.usesDomainPrefix { record.domainPrefix = RuntimeStage.domainPrefix(String(exchange.domainName)) }
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
        }
        logBuffer.removeAll(keepingCapacity: true)
        format.render(record, into: &logBuffer)
        accessLog.writer.write(logBuffer)
    }
}
