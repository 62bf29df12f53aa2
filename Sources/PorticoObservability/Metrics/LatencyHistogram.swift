import Synchronization

/// A latency histogram with fixed buckets, recorded with relaxed atomics only.
///
/// Values are kept in microseconds, so that sub-millisecond latencies (a loopback proxy answers in tens of
/// microseconds) are not all rounded to zero; the exposition shows milliseconds, as CloudWatch does.
final class LatencyHistogram: Sendable {
    /// Upper bounds (`le`), in microseconds: 0.5 ms to 30 s, the longest integration timeout of an HTTP
    /// API. Values above the last bound land only in `+Inf`.
    static let upperBoundsMicros: [Int] = [
        500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
        1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000,
    ]

    struct Snapshot: Equatable {
        /// One count per bucket, not cumulative; the last is above every bound.
        var bucketCounts: [Int]
        var sumMicros: Int

        var count: Int {
            bucketCounts.reduce(0, +)
        }
    }

    // Per-bucket (not cumulative) counts: one increment per observation; the exposition accumulates.
    private let buckets = AtomicCounterArray(count: upperBoundsMicros.count + 1)
    private let sumMicros = Atomic<Int>(0)

    @inline(__always)
    func record(micros: Int) {
        let value = max(micros, 0)
        buckets.add(1, at: Self.bucketIndex(forMicros: value))
        sumMicros.wrappingAdd(value, ordering: .relaxed)
    }

    @inline(__always)
    static func bucketIndex(forMicros micros: Int) -> Int {
        // Linear: most requests are fast and stop within the first few bounds.
        var index = 0
        while index < upperBoundsMicros.count, micros > upperBoundsMicros[index] {
            index += 1
        }
        return index
    }

    func snapshot() -> Snapshot {
        var counts: [Int] = []
        counts.reserveCapacity(buckets.count)
        for index in 0..<buckets.count {
            counts.append(buckets.load(at: index))
        }
        return Snapshot(bucketCounts: counts, sumMicros: sumMicros.load(ordering: .relaxed))
    }
}
