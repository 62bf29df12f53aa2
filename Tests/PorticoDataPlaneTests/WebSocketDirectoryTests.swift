import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOWebSocket
import PorticoLambda
import PorticoModel
import PorticoRuntime
import Testing

@testable import PorticoDataPlane

/// The process's directory of WebSocket connections: stages and groups for Portico's broadcast, with
/// connections leaving their groups when they close, and a broadcast's shared buffer reaching each member.
struct WebSocketDirectoryTests {
    static func open(_ id: String, stage: String = "prod", directory: WebSocketDirectory) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        let loop = channel.embeddedEventLoop
        let logger = Logger(label: "test")
        let state = LoopState(
            table: .empty,
            pool: UpstreamPool(eventLoop: loop, maxIdlePerKey: 1, idleTimeout: .seconds(1), connectTimeout: .seconds(1), tlsContext: nil),
            lambda: UnavailableLambdaInvoker(),
            jwtKeys: JwtKeyStore(fetcher: JwksFetcher(group: loop, tlsContext: nil), settings: .init(), logger: logger),
            webSockets: directory)
        let webSocket = WebSocketRuntimeStage(
            routeSelection: CompiledSelectionExpression(try SelectionExpression(parsing: "$request.body.action")), routes: [:])
        let runtimeStage = RuntimeStage(
            name: stage, apiId: "abc", deploymentId: "d1", stageVariables: [:], router: Router(routes: []), cors: nil, accessLog: nil,
            webSocket: webSocket)
        let info = WebSocketConnectionInfo(
            connectionId: id, apiId: "abc", stage: stage, domainName: "abc.execute-api.localhost", sourceIp: "127.0.0.1", userAgent: nil,
            connectedAtMillis: 0)
        let handler = WebSocketConnection(
            info: info, stage: runtimeStage, webSocket: webSocket, limits: WebSocketLimits(), state: state, directory: directory,
            logger: logger, disconnectHeaders: HTTPHeaders())
        try channel.pipeline.syncOperations.addHandler(handler)
        return channel
    }

    static let prod = WebSocketDirectory.StageKey(apiId: "abc", stage: "prod")

    @Test func groupsHoldConnectionsOfTheirStageUntilTheyClose() throws {
        let directory = WebSocketDirectory()
        let a = try Self.open("a", directory: directory)
        let b = try Self.open("b", directory: directory)
        let other = try Self.open("c", stage: "dev", directory: directory)
        #expect(directory.members(of: Self.prod).count == 2)
        #expect(directory.join("a", group: "room", stage: Self.prod) == .done)
        #expect(directory.join("a", group: "room", stage: Self.prod) == .done)
        #expect(directory.join("b", group: "room", stage: Self.prod) == .done)
        #expect(directory.join("c", group: "room", stage: Self.prod) == .gone)
        #expect(directory.join("nobody", group: "room", stage: Self.prod) == .gone)
        #expect(directory.memberIds(of: Self.prod, group: "room") == ["a", "b"])
        #expect(directory.leave("b", group: "room", stage: Self.prod) == .done)
        #expect(directory.leave("b", group: "room", stage: Self.prod) == .done)
        #expect(directory.memberIds(of: Self.prod, group: "room") == ["a"])
        _ = try a.finish()
        #expect(directory.memberIds(of: Self.prod, group: "room") == [])
        #expect(directory.members(of: Self.prod).count == 1)
        #expect(directory.find("a") == nil)
        _ = try b.finish()
        _ = try other.finish()
        #expect(directory.members(of: Self.prod).isEmpty)
    }

    @Test func aConnectionIsInAtMostAHundredGroups() throws {
        let directory = WebSocketDirectory()
        let channel = try Self.open("a", directory: directory)
        for index in 0..<WebSocketDirectory.maxGroupsPerConnection {
            #expect(directory.join("a", group: "g\(index)", stage: Self.prod) == .done)
        }
        #expect(directory.join("a", group: "one-more", stage: Self.prod) == .tooManyGroups)
        #expect(directory.join("a", group: "g7", stage: Self.prod) == .done)
        _ = try channel.finish()
    }

    @Test func groupNames() {
        #expect(WebSocketDirectory.isValidGroupName("room-1_a.b:c"))
        #expect(!WebSocketDirectory.isValidGroupName(""))
        #expect(!WebSocketDirectory.isValidGroupName("with space"))
        #expect(!WebSocketDirectory.isValidGroupName("slash/"))
        #expect(!WebSocketDirectory.isValidGroupName(Substring(String(repeating: "g", count: 129))))
    }

    @Test func aBroadcastReachesEveryMemberAsOneSharedMessage() throws {
        let directory = WebSocketDirectory()
        let channels = try ["a", "b"].map { try Self.open($0, directory: directory) }
        let loop = channels[0].embeddedEventLoop
        // Embedded channels each have their own loop: the fan-out submits one task per loop.
        let counts = GatewayHandler.fanOut(Array("hello".utf8), to: directory.members(of: Self.prod), on: loop)
        for channel in channels { channel.embeddedEventLoop.run() }
        let result = try counts.wait()
        #expect(result.sent == 2 && result.dropped == 0)
        for channel in channels {
            let frame = try #require(try channel.readOutbound(as: WebSocketFrame.self))
            #expect(frame.opcode == .text && String(buffer: frame.data) == "hello")
            _ = try channel.finish()
        }
    }
}
