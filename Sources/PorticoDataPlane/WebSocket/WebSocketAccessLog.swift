import NIOCore
import PorticoModel
import PorticoObservability
import PorticoRuntime

/// Access logs of WebSocket stages (`accessLogSettings`, the same formats, writers and `$context` variables
/// as HTTP APIs, docs/ACCESS_LOGS.md): one line per `$connect`, message and `$disconnect`, as AWS writes them
/// ("Configure logging for WebSocket APIs"), with the WebSocket variables `$context.connectionId`,
/// `connectedAt`, `eventType` (`CONNECT`, `MESSAGE`, `DISCONNECT`), `messageId` (messages only) and
/// `messageDirection` (`IN`). `$context.status` is the status the event ended with: the integration's answer,
/// or the gateway's own (403 no route, 429 throttled, 500 integration failure). The IAM signer and the
/// `$connect` authorizer's `principalId` and `context` are in every line of the connection, as they are in
/// its events.
///
/// Calls to `@connections`, `@broadcast` and `@groups` are not logged in the stage's log (a guess: AWS's
/// callback endpoint is not part of the stage's access log as far as its documentation says).
enum WebSocketAccessLog {
    struct Entry {
        var eventType: String
        var routeKey: String
        var requestId: String
        var messageId: String? = nil
        var requestTimeMillis: Int64
        var status: Int
        var latencyNanos: Int64
        var integrationLatencyNanos: Int64? = nil
        var integrationStatus: Int? = nil
        var errorMessage: String? = nil
        var errorType: String? = nil
        var integrationError: String? = nil
    }

    /// Writes `entry`'s line when the stage has an access log; `buffer` is the loop's reused line buffer.
    /// - Parameter keys: the API keys, for `$context.identity.apiKeyId` (the key's value itself is never logged).
    static func write(
        _ entry: Entry, connection info: WebSocketConnectionInfo, stage: RuntimeStage, keys: UsagePlanTable, buffer: inout [UInt8]
    ) {
        guard let accessLog = stage.accessLog else { return }
        let format = accessLog.format
        var record = AccessLogRecord()
        record.requestId = entry.requestId
        record.extendedRequestId = entry.requestId
        record.apiId = info.apiId
        record.stage = info.stage
        record.routeKey = entry.routeKey
        record.sourceIp = info.sourceIp
        if format.usesUserAgent { record.userAgent = info.userAgent ?? "" }
        if format.usesDomainName { record.domainName = info.domainName }
        if format.usesDomainPrefix { record.domainPrefix = RuntimeStage.domainPrefix(info.domainName) }
        record.accountId = info.accountId
        record.requestTimeEpochMillis = entry.requestTimeMillis
        record.status = entry.status
        record.responseLatencyMillis = Int(entry.latencyNanos / 1_000_000)
        record.integrationLatencyMillis = entry.integrationLatencyNanos.map { Int($0 / 1_000_000) }
        record.integrationStatus = entry.integrationStatus
        record.integrationErrorMessage = entry.integrationError
        record.errorMessage = entry.errorMessage
        record.errorResponseType = entry.errorType
        if let iam = info.iam {
            record.callerIdentity = AccessLogRecord.CallerIdentity(accountId: iam.accountId, caller: iam.userId, user: iam.userId, userArn: iam.userArn)
        }
        if let authorizer = info.authorizer {
            record.authorizer = AccessLogRecord.Authorizer(
                principalId: authorizer.principalId, latencyMillis: Int(authorizer.latencyMillis), status: 200,
                context: authorizer.context.mapValues(Self.string))
        }
        record.webSocket = AccessLogRecord.WebSocket(
            connectionId: info.connectionId, connectedAtMillis: info.connectedAtMillis, eventType: entry.eventType, messageId: entry.messageId,
            apiKeyId: info.apiKey.flatMap { keys.keysByValue[$0]?.id })
        buffer.removeAll(keepingCapacity: true)
        format.render(record, into: &buffer)
        accessLog.writer.write(buffer)
    }

    /// An authorizer `context` value as `$context.authorizer.<key>` shows it ("the stringified value").
    static func string(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        default: value.jsonText
        }
    }
}

/// The handshake of a WebSocket connection, kept on its exchange so that the `CONNECT` line can be written
/// however the handshake ends (refused through ``GatewayHandler/respond(_:_:)``, or upgraded).
final class WebSocketHandshake {
    var info: WebSocketConnectionInfo
    var integrationStatus: Int?
    var integrationLatencyNanos: Int64?

    init(info: WebSocketConnectionInfo) {
        self.info = info
    }
}

extension GatewayHandler {
    /// The access-log line of an exchange on a WebSocket stage; false when it is not a handshake Portico has
    /// started (a plain request, a malformed handshake), which is logged as an HTTP request.
    func recordWebSocket(_ exchange: Exchange, stage: RuntimeStage) -> Bool {
        if exchange.stagePath.hasPrefix("/@") { return true }  // @connections, @broadcast, @groups: not logged
        guard let handshake = exchange.webSocketHandshake else { return false }
        logConnect(exchange, handshake: handshake, stage: stage, status: exchange.responseStatus)
        return true
    }

    func logConnect(_ exchange: Exchange, handshake: WebSocketHandshake, stage: RuntimeStage, status: Int) {
        guard stage.accessLog != nil else { return }
        let entry = WebSocketAccessLog.Entry(
            eventType: "CONNECT", routeKey: "$connect", requestId: exchange.requestId, requestTimeMillis: exchange.startWallMillis,
            status: status, latencyNanos: (NIODeadline.now() - exchange.start).nanoseconds,
            integrationLatencyNanos: handshake.integrationLatencyNanos, integrationStatus: handshake.integrationStatus,
            errorMessage: exchange.errorMessage, errorType: exchange.errorType, integrationError: exchange.integrationError)
        WebSocketAccessLog.write(entry, connection: handshake.info, stage: stage, keys: state.table.usagePlans, buffer: &logBuffer)
    }
}
