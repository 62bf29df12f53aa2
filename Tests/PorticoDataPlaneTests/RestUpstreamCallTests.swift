import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@testable import PorticoDataPlane

/// A REST integration's backend call against a real loopback backend: it records the integration's
/// outcome on its exchange, and then lets go of the exchange. The exchange holds the call (through its
/// `RestExchange`), so a call that kept its exchange leaked both on every request.
struct RestUpstreamCallTests {
    /// Answers every request with `200 ok`, then keeps the connection open.
    final class Backend: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let request = unwrapInboundIn(data)
            guard request.readableBytesView.contains(UInt8(ascii: "\n")) else { return }
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")), promise: nil)
        }
    }

    @Test func theCallRecordsItsOutcomeAndLetsGoOfTheExchange() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Backend()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let loop = group.next()

        let released = try await loop.flatSubmit { () -> EventLoopFuture<Bool> in
            let promise = loop.makePromise(of: Void.self)
            let pool = UpstreamPool(eventLoop: loop, maxIdlePerKey: 1, idleTimeout: .seconds(5), connectTimeout: .seconds(5), tlsContext: nil)
            let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: [:])
            var exchange: Exchange? = Exchange(id: 1, requestId: "r", head: head, start: .now(), startWallMillis: 0)
            weak let weakExchange = exchange
            exchange?.integrationStart = .now()
            exchange?.deadline = .now() + .seconds(5)
            var request = ByteBuffer()
            request.writeString("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let upstream = RestUpstreamCall(
                pool: pool, key: UpstreamPool.Key(host: "127.0.0.1", port: port, tlsServerName: nil), head: request, body: nil,
                isHead: false, maxBytes: 1024, exchange: exchange)
            var body: String?
            upstream.start { result in
                if case .success(let response) = result { body = String(decoding: response.body, as: UTF8.self) }
                promise.succeed(())
            }
            return promise.futureResult.assumeIsolated().map { () -> Bool in
                #expect(body == "ok")
                #expect(upstream.status == 200)
                // The outcome is on the exchange...
                #expect(exchange?.deadline == nil)
                #expect(exchange?.integrationStatus == 200)
                #expect(exchange?.integrationLatencyNanos != nil)
                // ...and, with the call still alive, nothing but the test holds the exchange.
                exchange = nil
                return withExtendedLifetime(upstream) { weakExchange == nil }
            }.nonisolated()
        }.get()
        #expect(released, "the finished call still holds its exchange")
        try await server.close()
        try await group.shutdownGracefully()
    }
}
