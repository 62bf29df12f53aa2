import NIOCore
import NIOEmbedded
import Testing

@testable import PorticoDataPlane

/// The order in which the pool hands out idle connections (see ``UpstreamPool/IdleList``).
struct UpstreamPoolTests {
    private let key = UpstreamPool.Key(host: "127.0.0.1", port: 8000, tlsServerName: nil)

    private func makePool(_ loop: EmbeddedEventLoop, maxIdle: Int = 8) -> UpstreamPool {
        UpstreamPool(eventLoop: loop, maxIdlePerKey: maxIdle, idleTimeout: .seconds(60), connectTimeout: .seconds(5), tlsContext: nil)
    }

    private func connection() -> UpstreamConnection {
        UpstreamConnection(key: key, maxResponseHeadBytes: 1024)
    }

    @Test func aConnectionGivenBackInThisWakeUpComesAfterTheSettledOnes() {
        let loop = EmbeddedEventLoop()
        let pool = makePool(loop)
        let first = connection(), second = connection(), late = connection()
        pool.release(first)
        pool.release(second)
        loop.run()  // the wake-up ends: both settle
        pool.release(late)  // given back in the wake-up that is still running

        // The most recent settled connection first, then the older one, and only then the one just given back.
        #expect(pool.takeIdle(key) === second)
        #expect(pool.takeIdle(key) === first)
        #expect(pool.takeIdle(key) === late)
        #expect(pool.takeIdle(key) == nil)
    }

    @Test func withoutSettledConnectionsOneGivenBackInThisWakeUpIsUsed() {
        let loop = EmbeddedEventLoop()
        let pool = makePool(loop)
        let only = connection()
        pool.release(only)
        #expect(pool.takeIdle(key) === only)
        loop.run()
        #expect(pool.takeIdle(key) == nil)
    }

    @Test func theIdleLimitCountsConnectionsNotYetSettled() {
        let loop = EmbeddedEventLoop()
        let pool = makePool(loop, maxIdle: 2)
        let kept = [connection(), connection()]
        let surplus = connection()
        pool.release(kept[0])
        loop.run()
        pool.release(kept[1])
        pool.release(surplus)  // one settled and one waiting fill the limit: closed, not kept
        #expect(surplus.isClosed)
        loop.run()
        #expect(pool.takeIdle(key) === kept[1])
        #expect(pool.takeIdle(key) === kept[0])
        #expect(pool.takeIdle(key) == nil)
    }

    @Test func closedConnectionsAreSkipped() {
        let loop = EmbeddedEventLoop()
        let pool = makePool(loop)
        let open = connection(), closed = connection()
        pool.release(open)
        loop.run()
        pool.release(closed)
        loop.run()
        closed.close()
        #expect(pool.takeIdle(key) === open)
        #expect(pool.takeIdle(key) == nil)
    }
}
