import Testing

@testable import PorticoObservability

/// WebSocket stages' access-log variables (`$context.connectionId`, `eventType`, ...) and connection metrics.
struct WebSocketObservabilityTests {
    static let format =
        #"{"id":"$context.requestId","c":"$context.connectionId","at":"$context.connectedAt","e":"$context.eventType","#
        + #""m":"$context.messageId","d":"$context.messageDirection","k":"$context.identity.apiKey","r":"$context.routeKey","#
        + #""ki":"$context.identity.apiKeyId"}"#

    static func line(_ record: AccessLogRecord) -> String {
        var buffer: [UInt8] = []
        AccessLogFormat(format).render(record, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func rendersTheWebSocketVariables() {
        var record = AccessLogRecord()
        record.requestId = "r1"
        record.routeKey = "sendmessage"
        record.webSocket = .init(
            connectionId: "AbC=", connectedAtMillis: 1_720_000_000_123, eventType: "MESSAGE", messageId: "m1", apiKeyId: "key1")
        #expect(
            Self.line(record)
                == #"{"id":"r1","c":"AbC=","at":"1720000000123","e":"MESSAGE","m":"m1","d":"IN","k":"-","r":"sendmessage","ki":"key1"}"#
                + "\n")
        record.webSocket?.messageId = nil
        record.webSocket?.eventType = "CONNECT"
        #expect(Self.line(record).contains(#""e":"CONNECT","m":"-","#))
    }

    @Test func aRecordWithoutAConnectionWritesDashes() {
        var record = AccessLogRecord()
        record.requestId = "r1"
        #expect(Self.line(record) == #"{"id":"r1","c":"-","at":"-","e":"-","m":"-","d":"-","k":"-","r":"-","ki":"-"}"# + "\n")
    }

    @Test func webSocketVariablesAreValidOnlyForWebSocketStages() {
        #expect(AccessLogFormat.validate(Self.format, webSocket: true) == nil)
        #expect(
            AccessLogFormat.validate("$context.requestId $context.eventType $context.identity.apiKeyId")
                == "The following context variables are not supported: [$context.eventType, $context.identity.apiKeyId]")
        #expect(AccessLogFormat.validate("$context.requestId $context.nope", webSocket: true) != nil)
    }

    @Test func stageMetricsAreExposedPerApiAndStage() throws {
        let registry = MetricsRegistry()
        let stage = registry.webSocketMetrics(apiId: "a1", stage: "prod")
        #expect(stage === registry.webSocketMetrics(apiId: "a1", stage: "prod"))
        stage.connected()
        stage.connected()
        stage.disconnected()
        stage.messageReceived()
        stage.integrationFailed()
        stage.droppedMessages(3)
        _ = registry.webSocketMetrics(apiId: "a1", stage: "dev")
        let labels = ["api_id": "a1", "stage": "prod"]
        let exposition = try PrometheusTextParser(registry.prometheusText())
        #expect(exposition.value("portico_websocket_connects_total", labels) == 2)
        #expect(exposition.value("portico_websocket_connections", labels) == 1)
        #expect(exposition.value("portico_websocket_messages_total", labels) == 1)
        #expect(exposition.value("portico_websocket_integration_errors_total", labels) == 1)
        #expect(exposition.value("portico_websocket_dropped_messages_total", labels) == 3)
        #expect(exposition.value("portico_websocket_connections", ["api_id": "a1", "stage": "dev"]) == 0)
        #expect(exposition.types["portico_websocket_connections"] == "gauge")
        #expect(exposition.types["portico_websocket_connects_total"] == "counter")
        registry.remove(apiId: "a1", stage: "prod")
        #expect(try PrometheusTextParser(registry.prometheusText()).value("portico_websocket_connections", labels) == nil)
    }
}
