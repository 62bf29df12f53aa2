#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes access-log lines to one destination, from any number of threads, without making them wait for
/// the disk.
///
/// ``write(_:)`` only appends the line to an in-memory batch under a short lock (a copy of a few hundred
/// bytes). A background thread writes the batch with one `write(2)` when it reaches
/// ``Configuration/flushThresholdBytes`` or every ``Configuration/flushIntervalMilliseconds``, whichever
/// comes first, so a line reaches the destination at most about 100 ms after it was written (by default).
/// Lines are never split or interleaved: each batch holds whole lines.
///
/// Failures never reach the request path: a line that arrives while more than
/// ``Configuration/maxBufferedBytes`` are waiting (the disk cannot keep up) is dropped and counted in
/// ``droppedLineCount``; a failing `write(2)` (disk full, closed pipe) drops that batch, is counted in
/// ``writeErrorCount`` and is reported once on standard error. `SIGPIPE` is blocked on the writing thread,
/// so a closed standard output cannot kill the process.
public final class AccessLogWriter: Sendable {
    /// Tuning for an ``AccessLogWriter``; the defaults suit a data plane at tens of thousands of requests per
    /// second.
    public struct Configuration: Sendable, Hashable {
        /// Wake the writing thread early once this many bytes are waiting.
        public var flushThresholdBytes: Int
        /// Drop (and count) lines while this many bytes are already waiting.
        public var maxBufferedBytes: Int
        /// The longest a line waits before it is written.
        public var flushIntervalMilliseconds: Int

        public init(
            flushThresholdBytes: Int = 64 * 1024,
            maxBufferedBytes: Int = 8 * 1024 * 1024,
            flushIntervalMilliseconds: Int = 100
        ) {
            self.flushThresholdBytes = flushThresholdBytes
            self.maxBufferedBytes = maxBufferedBytes
            self.flushIntervalMilliseconds = flushIntervalMilliseconds
        }
    }

    /// Where this writer writes.
    public let destination: AccessLogDestination
    private let flusher: AccessLogFlusher

    /// Opens `destination` (a file is created if needed and appended to) and starts the writing thread.
    /// - Throws: ``AccessLogWriterError`` if the file cannot be opened.
    public convenience init(destination: AccessLogDestination) throws {
        try self.init(destination: destination, configuration: Configuration())
    }

    public init(destination: AccessLogDestination, configuration: Configuration) throws {
        self.destination = destination
        let descriptor: Int32
        let ownsDescriptor: Bool
        switch destination {
        case .standardOutput:
            descriptor = 1
            ownsDescriptor = false
        case .file(let path):
            descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw AccessLogWriterError.cannotOpen(path: path, errorNumber: errno)
            }
            ownsDescriptor = true
        }
        let name: String
        switch destination {
        case .standardOutput: name = "standard output"
        case .file(let path): name = path
        }
        self.flusher = AccessLogFlusher(
            descriptor: descriptor,
            ownsDescriptor: ownsDescriptor,
            destinationName: name,
            configuration: configuration
        )
        flusher.start()
    }

    deinit {
        flusher.close()
    }

    /// Queues one line (normally from ``AccessLogFormat/render(_:into:)``); a missing trailing `\n` is added.
    /// Cheap and non-blocking apart from a short lock; safe from any thread. Lines written after
    /// ``close()`` are dropped and counted.
    public func write(_ line: [UInt8]) {
        flusher.enqueue(line)
    }

    /// Writes everything queued so far and returns when it has been handed to the system. Blocks, so not
    /// for an event loop; meant for shutdown and tests.
    public func flush() {
        flusher.flush()
    }

    /// Writes everything queued, stops the writing thread and closes the file. Idempotent; the writer also
    /// closes itself when released.
    public func close() {
        flusher.close()
    }

    /// Failed `write(2)` calls so far (each one lost a batch of lines).
    public var writeErrorCount: Int {
        flusher.writeErrorCount
    }

    /// Lines dropped so far, because too much was waiting or the writer was closed.
    public var droppedLineCount: Int {
        flusher.droppedLineCount
    }
}
