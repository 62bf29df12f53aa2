import Synchronization

/// The requests one API key has made under one usage plan: the one place the data plane's mutable usage lives
/// (compiled tables hold references to counters, never counts).
///
/// `period` packs the current quota period's first epoch day (high 24 bits) with the requests admitted in it
/// (low 40 bits) in one atomic: ``admit(limit:periodStart:day:)`` is a compare-exchange loop, so the
/// `limit + 1`th request of a period is refused exactly, whichever event loops the requests arrive on.
///
/// `pending` packs the same way the UTC day and the admitted requests not yet written to the store; the flusher
/// takes them with ``takePending()``. A request admitted on a later day than the pending count's (a flush
/// interval that spans midnight) goes to `overflow`, behind a mutex, so each day's count stays exact.
public final class QuotaCounter: Sendable {
    public let usagePlanId: String
    public let keyId: String
    private let period: Atomic<UInt64>
    private let pending = Atomic<UInt64>(0)
    private let overflow = Mutex<[Int: Int64]>([:])

    static let countBits: UInt64 = 40
    static let countMask: UInt64 = (1 << countBits) - 1

    /// A counter that starts with `used` requests in the period beginning on `periodStart`.
    public init(usagePlanId: String, keyId: String, periodStart: Int, used: Int64) {
        self.usagePlanId = usagePlanId
        self.keyId = keyId
        self.period = Atomic(Self.pack(day: periodStart, count: used))
    }

    static func pack(day: Int, count: Int64) -> UInt64 {
        (UInt64(truncatingIfNeeded: day) << countBits) | (UInt64(truncatingIfNeeded: Swift.max(0, count)) & countMask)
    }

    static func unpack(_ value: UInt64) -> (day: Int, count: Int64) {
        (Int(value >> countBits), Int64(value & countMask))
    }

    /// Counts a request in the period beginning on `periodStart` if fewer than `limit` were admitted in it
    /// (`limit` `nil`: no quota, always admitted and counted). `day` is today's epoch day, for the history.
    public func admit(limit: Int64?, periodStart: Int, day: Int) -> Bool {
        var current = period.load(ordering: .relaxed)
        while true {
            let (start, count) = Self.unpack(current)
            let used = start == periodStart ? count : 0
            if let limit, used >= limit { return false }
            let desired = Self.pack(day: periodStart, count: used + 1)
            let (exchanged, original) = period.compareExchange(expected: current, desired: desired, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
        record(day: day, count: 1)
        return true
    }

    /// Requests counted in the period beginning on `periodStart`.
    public func used(periodStart: Int) -> Int64 {
        let (start, count) = Self.unpack(period.load(ordering: .relaxed))
        return start == periodStart ? count : 0
    }

    /// Moves the live count (UpdateUsage); the store has already been given the same delta.
    public func adjust(by delta: Int64, periodStart: Int) {
        var current = period.load(ordering: .relaxed)
        while true {
            let (start, count) = Self.unpack(current)
            let used = start == periodStart ? count : 0
            let desired = Self.pack(day: periodStart, count: Swift.max(0, used + delta))
            let (exchanged, original) = period.compareExchange(expected: current, desired: desired, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    private func record(day: Int, count: Int64) {
        var current = pending.load(ordering: .relaxed)
        while true {
            let (pendingDay, pendingCount) = Self.unpack(current)
            guard pendingCount == 0 || pendingDay == day else {
                overflow.withLock { $0[day, default: 0] += count }
                return
            }
            let desired = Self.pack(day: day, count: pendingCount + count)
            let (exchanged, original) = pending.compareExchange(expected: current, desired: desired, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// Takes the counts not yet written, by epoch day, leaving none.
    public func takePending() -> [Int: Int64] {
        var result = overflow.withLock { counts in
            defer { counts.removeAll() }
            return counts
        }
        let (day, count) = Self.unpack(pending.exchange(0, ordering: .relaxed))
        if count > 0 { result[day, default: 0] += count }
        return result
    }

    /// Puts back counts a failed write could not store.
    public func restorePending(_ counts: [Int: Int64]) {
        overflow.withLock { overflowCounts in
            for (day, count) in counts { overflowCounts[day, default: 0] += count }
        }
    }
}
