import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The engine behind ``AccessLogWriter``: a locked byte buffer that writers append to, and a thread that
/// swaps it out and writes it. A separate object so that the thread can hold it without keeping the
/// writer alive (the writer's `deinit` stops the thread).
final class AccessLogFlusher: Sendable {
    private struct State {
        var pending: [UInt8] = []
        /// A wake-up is already on its way for the current batch; saves a semaphore signal per line.
        var wakeupRequested = false
        /// ``flush()`` callers waiting for the batch that holds their lines to be written.
        var waiters: [DispatchSemaphore] = []
        var closed = false
        var started = false
    }

    private enum EnqueueOutcome {
        case queued
        case queuedAndWake
        case dropped
    }

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let destinationName: String
    private let configuration: AccessLogWriter.Configuration
    private let state = Mutex(State())
    private let wakeup = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    private let writeErrors = Atomic<Int>(0)
    private let droppedLines = Atomic<Int>(0)

    init(descriptor: Int32, ownsDescriptor: Bool, destinationName: String, configuration: AccessLogWriter.Configuration) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        self.destinationName = destinationName
        self.configuration = configuration
    }

    var writeErrorCount: Int {
        writeErrors.load(ordering: .relaxed)
    }

    var droppedLineCount: Int {
        droppedLines.load(ordering: .relaxed)
    }

    func start() {
        state.withLock { $0.started = true }
        let thread = Thread { [self] in
            run()
        }
        thread.name = "portico.access-log"
        thread.start()
    }

    func enqueue(_ line: [UInt8]) {
        guard let last = line.last else {
            return
        }
        let addNewline = last != UInt8(ascii: "\n")
        let size = line.count + (addNewline ? 1 : 0)
        let threshold = configuration.flushThresholdBytes
        let limit = configuration.maxBufferedBytes
        let outcome = state.withLock { state -> EnqueueOutcome in
            guard !state.closed, state.pending.count + size <= limit else {
                return .dropped
            }
            state.pending.append(contentsOf: line)
            if addNewline {
                state.pending.append(UInt8(ascii: "\n"))
            }
            if state.pending.count >= threshold, !state.wakeupRequested {
                state.wakeupRequested = true
                return .queuedAndWake
            }
            return .queued
        }
        switch outcome {
        case .queued:
            break
        case .queuedAndWake:
            wakeup.signal()
        case .dropped:
            droppedLines.wrappingAdd(1, ordering: .relaxed)
        }
    }

    func flush() {
        let done = DispatchSemaphore(value: 0)
        let waiting = state.withLock { state -> Bool in
            guard !state.closed else {
                return false
            }
            state.waiters.append(done)
            return true
        }
        guard waiting else {
            return
        }
        wakeup.signal()
        done.wait()
    }

    func close() {
        let stopThread = state.withLock { state -> Bool in
            guard !state.closed else {
                return false
            }
            state.closed = true
            return state.started
        }
        guard stopThread else {
            return
        }
        wakeup.signal()
        stopped.wait()
    }

    /// The writing thread: wait for a wake-up or the interval, swap the batch out, write it, repeat; after
    /// ``close()``, one last round and out.
    private func run() {
        Self.blockBrokenPipeSignal()
        let idleCapacity = configuration.flushThresholdBytes * 2
        var batch: [UInt8] = []
        batch.reserveCapacity(idleCapacity)
        var finished = false
        while !finished {
            _ = wakeup.wait(timeout: .now() + .milliseconds(configuration.flushIntervalMilliseconds))
            var waiters: [DispatchSemaphore] = []
            state.withLock { state in
                // Swap rather than copy: the writers keep appending into the spare storage.
                swap(&state.pending, &batch)
                swap(&state.waiters, &waiters)
                state.wakeupRequested = false
                finished = state.closed
            }
            if !batch.isEmpty {
                writeAll(batch)
            }
            for waiter in waiters {
                waiter.signal()
            }
            if batch.capacity > 16 * idleCapacity {
                // A burst grew the buffer; do not keep megabytes around for good.
                batch = []
                batch.reserveCapacity(idleCapacity)
            } else {
                batch.removeAll(keepingCapacity: true)
            }
        }
        if ownsDescriptor {
            _ = systemClose(descriptor)
        }
        stopped.signal()
    }

    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else {
                return
            }
            var offset = 0
            var busyRetries = 0
            while offset < raw.count {
                let written = systemWrite(descriptor, base + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                    busyRetries = 0
                    continue
                }
                let error = written < 0 ? errno : EIO
                if error == EINTR {
                    continue
                }
                if error == EAGAIN || error == EWOULDBLOCK, busyRetries < 50 {
                    // Someone made the descriptor non-blocking; wait for room, but not forever.
                    busyRetries += 1
                    var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&poller, 1, 100)
                    continue
                }
                recordWriteError(error)
                return
            }
        }
    }

    private func recordWriteError(_ error: Int32) {
        let previous = writeErrors.wrappingAdd(1, ordering: .relaxed).oldValue
        guard previous == 0 else {
            return
        }
        // Only the first failure is reported: a full disk would otherwise flood standard error too.
        let message = "portico: writing the access log to \(destinationName) failed: \(String(cString: strerror(error))); "
            + "lines are being dropped and further failures are only counted\n"
        let bytes = Array(message.utf8)
        bytes.withUnsafeBytes { raw in
            _ = systemWrite(2, raw.baseAddress, raw.count)
        }
    }

    /// A write to a closed pipe raises `SIGPIPE` on the writing thread, which would end the process; with the
    /// signal blocked on this thread the write fails with `EPIPE` instead and is counted.
    private static func blockBrokenPipeSignal() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }
}

// File-scope wrappers: inside the class, `close` and `write` would name its own methods, and the C
// module's name (Glibc, Musl, Darwin) differs per platform.
private func systemClose(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}

private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
