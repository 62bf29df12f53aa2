import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOWebSocket
import PorticoLambda
import PorticoModel
import PorticoObservability
import PorticoRuntime
import Testing

@testable import PorticoDataPlane

/// A WebSocket connection's limits and protocol checks, driven through NIOWebSocket's decoder and
/// ``WebSocketConnection`` in an `EmbeddedChannel`: AWS's 32 KB frame and 128 KB message limits
/// close with 1009, unmasked client frames with 1002; messages within the limits are routed (here,
/// with no route at all, answered "Forbidden" as AWS does).
struct WebSocketFrameLimitTests {
    static func connection(limits: WebSocketLimits = WebSocketLimits()) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        let loop = channel.embeddedEventLoop
        let logger = Logger(label: "test")
        let state = LoopState(
            table: .empty,
            pool: UpstreamPool(eventLoop: loop, maxIdlePerKey: 1, idleTimeout: .seconds(1), connectTimeout: .seconds(1), tlsContext: nil),
            lambda: UnavailableLambdaInvoker(),
            jwtKeys: JwtKeyStore(fetcher: JwksFetcher(group: loop, tlsContext: nil), settings: .init(), logger: logger))
        let webSocket = WebSocketRuntimeStage(
            routeSelection: CompiledSelectionExpression(try SelectionExpression(parsing: "$request.body.action")), routes: [:])
        let stage = RuntimeStage(
            name: "prod", apiId: "abc", deploymentId: "d1", stageVariables: [:], router: Router(routes: []), cors: nil, accessLog: nil,
            webSocket: webSocket)
        let info = WebSocketConnectionInfo(
            connectionId: "AAAAAAAAAAAAAAA=", apiId: "abc", stage: "prod", domainName: "abc.execute-api.localhost", sourceIp: "127.0.0.1",
            userAgent: nil, connectedAtMillis: 0)
        let handler = WebSocketConnection(
            info: info, stage: stage, webSocket: webSocket, limits: limits, state: state, directory: WebSocketDirectory(),
            logger: logger, disconnectHeaders: HTTPHeaders())
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: limits.maxFrameBytes)), handler,
        ])
        return channel
    }

    /// A client frame as bytes (masked unless told otherwise).
    static func frame(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, masked: Bool = true) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger((fin ? 0x80 : 0) | opcode)
        let mask: UInt8 = masked ? 0x80 : 0
        if payload.count < 126 {
            buffer.writeInteger(mask | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            buffer.writeInteger(mask | 126)
            buffer.writeInteger(UInt16(payload.count))
        } else {
            buffer.writeInteger(mask | 127)
            buffer.writeInteger(UInt64(payload.count))
        }
        guard masked else {
            buffer.writeBytes(payload)
            return buffer
        }
        let key: [UInt8] = [9, 8, 7, 6]
        buffer.writeBytes(key)
        buffer.writeBytes(payload.enumerated().map { $0.element ^ key[$0.offset % 4] })
        return buffer
    }

    /// The frames Portico wrote back, as (opcode, payload).
    static func written(_ channel: EmbeddedChannel) throws -> [(WebSocketOpcode, ByteBuffer)] {
        var frames: [(WebSocketOpcode, ByteBuffer)] = []
        while let frame = try channel.readOutbound(as: WebSocketFrame.self) { frames.append((frame.opcode, frame.data)) }
        return frames
    }

    static func closeCode(_ channel: EmbeddedChannel) throws -> UInt16? {
        guard let close = try written(channel).first(where: { $0.0 == .connectionClose }) else { return nil }
        var data = close.1
        return data.readInteger(as: UInt16.self)
    }

    @Test func frameOverTheLimitClosesWith1009() throws {
        let channel = try Self.connection()
        _ = try? channel.writeInbound(Self.frame(0x1, Array(repeating: 0x61, count: 32 * 1024 + 1)))
        #expect(try Self.closeCode(channel) == 1009)
    }

    @Test func messageOverTheLimitClosesWith1009() throws {
        let channel = try Self.connection()
        let piece = Array(repeating: UInt8(0x62), count: 30 * 1024)
        try channel.writeInbound(Self.frame(0x1, piece, fin: false))
        for _ in 0..<3 { try channel.writeInbound(Self.frame(0x0, piece, fin: false)) }
        #expect(try Self.written(channel).isEmpty)
        try channel.writeInbound(Self.frame(0x0, piece, fin: true))
        #expect(try Self.closeCode(channel) == 1009)
    }

    @Test func messagesAtTheLimitsAreRouted() throws {
        let channel = try Self.connection()
        // One 32 KB frame, then a 128 KB message in four 32 KB frames: both within AWS's limits.
        try channel.writeInbound(Self.frame(0x1, Array(repeating: 0x63, count: 32 * 1024)))
        let piece = Array(repeating: UInt8(0x64), count: 32 * 1024)
        try channel.writeInbound(Self.frame(0x2, piece, fin: false))
        try channel.writeInbound(Self.frame(0x0, piece, fin: false))
        try channel.writeInbound(Self.frame(0x0, piece, fin: false))
        try channel.writeInbound(Self.frame(0x0, piece, fin: true))
        let answers = try Self.written(channel)
        #expect(answers.count == 2)
        for (opcode, data) in answers {
            #expect(opcode == .text)
            #expect(String(buffer: data).contains(#""message": "Forbidden""#))
        }
    }

    @Test func configuredLimitsApply() throws {
        var limits = WebSocketLimits()
        limits.maxFrameBytes = 100
        limits.maxMessageBytes = 150
        let channel = try Self.connection(limits: limits)
        try channel.writeInbound(Self.frame(0x1, Array(repeating: 0x65, count: 100), fin: false))
        try channel.writeInbound(Self.frame(0x0, Array(repeating: 0x65, count: 51)))
        #expect(try Self.closeCode(channel) == 1009)
    }

    @Test func unmaskedFramesCloseWith1002() throws {
        let channel = try Self.connection()
        try channel.writeInbound(Self.frame(0x1, Array("hi".utf8), masked: false))
        #expect(try Self.closeCode(channel) == 1002)
    }

    @Test func pingIsAnsweredWithPong() throws {
        let channel = try Self.connection()
        try channel.writeInbound(Self.frame(0x9, Array("beat".utf8)))
        let answers = try Self.written(channel)
        #expect(answers.count == 1)
        #expect(answers.first?.0 == .pong)
        #expect(answers.first.map { String(buffer: $0.1) } == "beat")
    }
}
