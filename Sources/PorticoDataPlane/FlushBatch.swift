import NIOCore

/// Something whose writes can be flushed at the end of the event loop's batch.
protocol BatchFlushable: AnyObject {
    /// Set while queued in a ``FlushBatch``, so that a target is queued once per batch.
    var flushQueued: Bool { get set }
    /// Writes out what was gathered (a `writeAndFlush`, or nothing when nothing is pending).
    func flushNow()
}

/// One event loop's flushes, put off until the loop has handled every event of its current wake-up.
///
/// NIO runs tasks submitted with `execute` after the I/O events of the `epoll_wait` that is being
/// handled, so the flushes of a batch of requests go out together at its end instead of one by one
/// between the reads. Each socket still gets one `write`; what changes is that the writes to the same
/// peers (the backend, the load generator) come close together, so a peer that went idle is woken once
/// for the batch rather than once per write. On a virtual machine a wake-up of an idle CPU is an
/// inter-processor interrupt and a VM exit, which a kernel profile of the proxy path showed as the largest
/// single cost of its system time (`_raw_spin_unlock_irqrestore` in `try_to_wake_up`).
final class FlushBatch {
    private let eventLoop: any EventLoop
    private var queued: [any BatchFlushable] = []
    private var spare: [any BatchFlushable] = []

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Queues `target` for the end of the batch (once, however often it asks).
    func enqueue(_ target: any BatchFlushable) {
        guard !target.flushQueued else { return }
        target.flushQueued = true
        if queued.isEmpty {
            eventLoop.assumeIsolated().execute { [self] in
                self.run()
            }
        }
        queued.append(target)
    }

    private func run() {
        // A flush can lead to more (a write completing, a backend answering at once): those queue into
        // the emptied array and another task, not into the one being walked.
        swap(&queued, &spare)
        for target in spare {
            target.flushQueued = false
            target.flushNow()
        }
        spare.removeAll(keepingCapacity: true)
    }
}
