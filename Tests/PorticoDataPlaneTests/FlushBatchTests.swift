import NIOCore
import NIOEmbedded
import Testing

@testable import PorticoDataPlane

/// Records its flushes; optionally queues another target when flushed (as a write that completes at once can).
private final class Target: BatchFlushable {
    var flushQueued = false
    var flushes = 0
    var then: (() -> Void)?

    func flushNow() {
        flushes += 1
        then?()
    }
}

struct FlushBatchTests {
    @Test func flushesOncePerBatchAfterTheEventsNotBefore() {
        let loop = EmbeddedEventLoop()
        let batch = FlushBatch(eventLoop: loop)
        let first = Target()
        let second = Target()
        batch.enqueue(first)
        batch.enqueue(second)
        batch.enqueue(first)
        #expect(first.flushes == 0 && second.flushes == 0)
        #expect(first.flushQueued && second.flushQueued)
        loop.run()
        #expect(first.flushes == 1 && second.flushes == 1)
        #expect(!first.flushQueued && !second.flushQueued)
        loop.run()
        #expect(first.flushes == 1)
    }

    @Test func aTargetQueuedWhileFlushingIsFlushedByTheNextTask() {
        let loop = EmbeddedEventLoop()
        let batch = FlushBatch(eventLoop: loop)
        let late = Target()
        let early = Target()
        early.then = { batch.enqueue(late) }
        batch.enqueue(early)
        loop.run()
        #expect(early.flushes == 1)
        #expect(late.flushes == 1)
        // And the first one can be queued again.
        batch.enqueue(early)
        loop.run()
        #expect(early.flushes == 2)
    }

    @Test func aFullBatchGoesOutAtOnce() {
        let loop = EmbeddedEventLoop()
        let batch = FlushBatch(eventLoop: loop, limit: 3)
        let targets = (0..<4).map { _ in Target() }
        batch.enqueue(targets[0])
        batch.enqueue(targets[1])
        #expect(targets.allSatisfy { $0.flushes == 0 })
        batch.enqueue(targets[2])
        #expect(targets[0].flushes == 1 && targets[1].flushes == 1 && targets[2].flushes == 1)
        batch.enqueue(targets[3])
        #expect(targets[3].flushes == 0)
        loop.run()
        #expect(targets.allSatisfy { $0.flushes == 1 && !$0.flushQueued })
    }
}
