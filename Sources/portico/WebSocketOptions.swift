import ArgumentParser
import Foundation
import PorticoServer

/// `serve`'s WebSocket limits (AWS's quotas by default), each also read from the environment.
struct WebSocketOptions: ParsableArguments {
    @Option(name: .customLong("websocket-max-frame-bytes"), help: "Largest WebSocket frame; larger closes with 1009. [PORTICO_WEBSOCKET_MAX_FRAME_BYTES, default: 32768]")
    var maxFrameBytes: Int?

    @Option(name: .customLong("websocket-max-message-bytes"), help: "Largest WebSocket message; larger closes with 1009. [PORTICO_WEBSOCKET_MAX_MESSAGE_BYTES, default: 131072]")
    var maxMessageBytes: Int?

    @Option(name: .customLong("websocket-idle-timeout"), help: "Seconds a WebSocket connection with no messages stays open. [PORTICO_WEBSOCKET_IDLE_TIMEOUT, default: 600]")
    var idleTimeout: Int?

    @Option(name: .customLong("websocket-max-duration"), help: "Seconds a WebSocket connection may last. [PORTICO_WEBSOCKET_MAX_DURATION, default: 7200]")
    var maxDuration: Int?

    @Option(name: .customLong("websocket-max-buffer-bytes"), help: "Bytes queued for a slow WebSocket client before reading from it pauses (4x closes it). [PORTICO_WEBSOCKET_MAX_BUFFER_BYTES, default: 1048576]")
    var maxBufferBytes: Int?

    @Option(name: .customLong("websocket-new-connection-rate"), help: "New WebSocket connections per second the process accepts (burst: the same number); more are refused with 429. [PORTICO_WEBSOCKET_NEW_CONNECTION_RATE, default: 500]")
    var newConnectionRate: Double?

    @Flag(name: .customLong("no-websocket-connection-limit"), help: "Turn the new-connection rate limit off (benchmarks). [PORTICO_NO_WEBSOCKET_CONNECTION_LIMIT=1]")
    var noConnectionLimit = false

    func apply(to configuration: inout PorticoConfiguration, environment: [String: String]) throws {
        func number(_ flag: Int?, _ name: String, _ option: String) throws -> Int? {
            var number = flag
            if number == nil, let text = environment[name], !text.isEmpty {
                guard let value = Int(text) else { throw ValidationError("\(name)=\(text) is not a whole number (\(option))") }
                number = value
            }
            if let number, number <= 0 { throw ValidationError("\(option) must be positive") }
            return number
        }
        if let bytes = try number(maxFrameBytes, "PORTICO_WEBSOCKET_MAX_FRAME_BYTES", "--websocket-max-frame-bytes") {
            configuration.dataPlane.webSocket.maxFrameBytes = bytes
        }
        if let bytes = try number(maxMessageBytes, "PORTICO_WEBSOCKET_MAX_MESSAGE_BYTES", "--websocket-max-message-bytes") {
            configuration.dataPlane.webSocket.maxMessageBytes = bytes
        }
        if let seconds = try number(idleTimeout, "PORTICO_WEBSOCKET_IDLE_TIMEOUT", "--websocket-idle-timeout") {
            configuration.dataPlane.webSocket.idleTimeoutSeconds = Int64(seconds)
        }
        if let seconds = try number(maxDuration, "PORTICO_WEBSOCKET_MAX_DURATION", "--websocket-max-duration") {
            configuration.dataPlane.webSocket.maxConnectionSeconds = Int64(seconds)
        }
        if let bytes = try number(maxBufferBytes, "PORTICO_WEBSOCKET_MAX_BUFFER_BYTES", "--websocket-max-buffer-bytes") {
            configuration.dataPlane.webSocket.maxOutboundBufferBytes = bytes
        }
        let rateText = environment["PORTICO_WEBSOCKET_NEW_CONNECTION_RATE"].flatMap { $0.isEmpty ? nil : $0 }
        if let rate = newConnectionRate ?? rateText.map({ Double($0) ?? .nan }) {
            // A rate of 0 would refuse every connection; --no-websocket-connection-limit turns the limit off.
            guard rate.isFinite, rate > 0 else {
                throw ValidationError("--websocket-new-connection-rate must be a positive number of connections per second")
            }
            configuration.dataPlane.webSocket.newConnectionsPerSecond = rate
        }
        if noConnectionLimit || ["1", "true", "yes"].contains(environment["PORTICO_NO_WEBSOCKET_CONNECTION_LIMIT"]?.lowercased() ?? "") {
            configuration.dataPlane.webSocket.newConnectionsPerSecond = nil
        }
        let limits = configuration.dataPlane.webSocket
        guard limits.maxFrameBytes <= limits.maxMessageBytes else {
            throw ValidationError("--websocket-max-frame-bytes must not exceed --websocket-max-message-bytes")
        }
    }
}
