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
    /// Flushes queued at most before they go out in the middle of the batch: a long batch (a hundred ready
    /// sockets) would otherwise hold its first answers back until its last request is handled.
    let limit: Int
    private var queued: [any BatchFlushable] = []
    private var spare: [any BatchFlushable] = []
    private var taskScheduled = false
    private var running = false

    init(eventLoop: any EventLoop, limit: Int = FlushBatch.defaultLimit) {
        self.eventLoop = eventLoop
        self.limit = max(limit, 1)
    }

    static var defaultLimit: Int { 16 }

    /// Queues `target` for the end of the batch (once, however often it asks).
    func enqueue(_ target: any BatchFlushable) {
        guard !target.flushQueued else { return }
        target.flushQueued = true
        queued.append(target)
        if queued.count >= limit, !running {
            run()
        } else if !taskScheduled {
            taskScheduled = true
            eventLoop.assumeIsolated().execute { [self] in
                self.taskScheduled = false
                self.run()
            }
        }
    }

    private func run() {
        running = true
        defer { running = false }
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
