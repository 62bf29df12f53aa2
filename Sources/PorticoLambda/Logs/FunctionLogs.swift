import Synchronization

/// Every function's captured output (its processes' stdout and stderr, and the host's
/// `START`/`END`/`REPORT` lines), as a ring of bytes per function.
///
/// Written from the host's event loop, read from anywhere (`recentLog` is synchronous), so it
/// sits behind a lock of its own; no I/O happens while it is held.
final class FunctionLogs: Sendable {
    private let capacity: Int
    private let rings = Mutex<[String: LogRing]>([:])

    init(capacity: Int) {
        self.capacity = max(4096, capacity)
    }

    func append(_ bytes: some Collection<UInt8>, to functionName: String) {
        let capacity = self.capacity
        rings.withLock { rings in
            rings[functionName, default: LogRing(capacity: capacity)].append(bytes)
        }
    }

    func append(line: String, to functionName: String) {
        append(Array((line + "\n").utf8), to: functionName)
    }

    /// The last `maxBytes` bytes of the function's log (fewer if the log holds fewer).
    func recent(_ functionName: String, maxBytes: Int) -> [UInt8] {
        rings.withLock { $0[functionName]?.last(maxBytes) ?? [] }
    }

    func remove(_ functionName: String) {
        rings.withLock { _ = $0.removeValue(forKey: functionName) }
    }
}

/// A bounded byte log: appends at the end, forgets the oldest bytes once over capacity.
struct LogRing {
    let capacity: Int
    private var bytes: [UInt8] = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    mutating func append(_ new: some Collection<UInt8>) {
        bytes.append(contentsOf: new)
        // Trim with some slack so appends stay amortised O(1) rather than shifting every time.
        if bytes.count > capacity + capacity / 8 {
            bytes.removeFirst(bytes.count - capacity)
        }
    }

    func last(_ count: Int) -> [UInt8] {
        let kept = min(bytes.count, capacity)
        return Array(bytes.suffix(min(max(0, count), kept)))
    }
}
