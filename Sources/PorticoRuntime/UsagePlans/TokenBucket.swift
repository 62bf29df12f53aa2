import Synchronization

/// A token bucket of `burst` tokens refilled at `rate` tokens per second, as API Gateway's throttles are
/// described: a request takes one token, and is refused when none is left.
///
/// The arithmetic is the generic cell rate algorithm (GCRA), which admits exactly what such a bucket admits while
/// keeping one number: the theoretical arrival time `tat` of the next request, in nanoseconds. A request at `now`
/// is admitted when `max(tat, now) - now <= (burst - 1) × interval`, where `interval = 1e9 / rate` ns (one
/// token's worth of time); admitting moves `tat` to `max(tat, now) + interval`. A full bucket (an idle `tat`)
/// therefore admits `burst` requests at once, then one every `interval`; over `s` seconds of saturation it
/// admits `burst + floor(s × rate)` (to within the rounding of `interval` to a whole nanosecond).
///
/// `burst` 0 or `rate` 0 admit nothing (a bucket that holds no token, or never refills past an empty start —
/// Portico's reading; AWS does not document these edges).
///
/// Times come from the caller (`now`, monotonic nanoseconds), so the arithmetic is tested with an injected clock.
public struct TokenBucket: Sendable, Equatable {
    public let rate: Double
    public let burst: Int
    /// Nanoseconds per token.
    public let interval: Int64
    /// How far `tat` may run ahead of `now`: `(burst - 1) × interval`.
    public let tolerance: Int64
    /// The theoretical arrival time; `Int64.min` is "idle since forever" (a full bucket).
    public private(set) var tat: Int64 = .min

    public init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = burst
        if rate > 0, burst > 0 {
            let interval = Swift.max(1, Int64((1_000_000_000 / rate).rounded()))
            self.interval = interval
            let (product, overflow) = interval.multipliedReportingOverflow(by: Int64(burst - 1))
            self.tolerance = overflow ? Int64.max / 2 : product
        } else {
            self.interval = 0
            self.tolerance = -1
        }
    }

    /// Whether the bucket can ever admit a request.
    public var isClosed: Bool { tolerance < 0 }

    /// Takes a token at `now` (nanoseconds); `false` when the bucket is empty.
    public mutating func take(now: Int64) -> Bool {
        guard let next = Self.next(tat: tat, now: now, interval: interval, tolerance: tolerance) else { return false }
        tat = next
        return true
    }

    /// The new `tat` when a request at `now` is admitted, or `nil` when it is refused.
    @inline(__always)
    static func next(tat: Int64, now: Int64, interval: Int64, tolerance: Int64) -> Int64? {
        guard tolerance >= 0 else { return nil }
        let start = Swift.max(tat, now)
        guard start &- now <= tolerance else { return nil }
        return start &+ interval
    }
}

/// A ``TokenBucket`` shared by every event loop: its `tat` is one atomic, moved by compare-exchange, so a limit
/// holds exactly for the whole process (not per loop) without a lock. Under contention a request may retry its
/// compare-exchange; it never waits.
public final class SharedTokenBucket: Sendable {
    public let rate: Double
    public let burst: Int
    private let interval: Int64
    private let tolerance: Int64
    private let tat = Atomic<Int64>(.min)

    public init(rate: Double, burst: Int) {
        let model = TokenBucket(rate: rate, burst: burst)
        self.rate = rate
        self.burst = burst
        self.interval = model.interval
        self.tolerance = model.tolerance
    }

    /// Takes a token at `now` (monotonic nanoseconds); `false` when the bucket is empty.
    public func take(now: Int64) -> Bool {
        var current = tat.load(ordering: .relaxed)
        while true {
            guard let next = TokenBucket.next(tat: current, now: now, interval: interval, tolerance: tolerance) else { return false }
            let (exchanged, original) = tat.compareExchange(expected: current, desired: next, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }
}
