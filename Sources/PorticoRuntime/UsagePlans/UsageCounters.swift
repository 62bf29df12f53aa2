import Synchronization

/// Every ``QuotaCounter`` of the process, by usage plan, key and quota calendar. Compiling a
/// ``UsagePlanTable`` asks for the counters it needs (creating missing ones from the stored history); the flusher
/// asks for all of them. Nothing on the request path touches this registry.
public final class UsageCounters: Sendable {
    /// A counter is kept per calendar: a plan whose quota period or offset changes counts afresh (from the stored
    /// history) on a new counter, while the old one's pending counts are still flushed.
    public struct Key: Hashable, Sendable {
        public var usagePlanId: String
        public var keyId: String
        public var calendar: String
    }

    private let counters = Mutex<[Key: QuotaCounter]>([:])
    /// Counters replaced or dropped, kept until their pending counts are flushed.
    private let retired = Mutex<[QuotaCounter]>([])

    public init() {}

    /// The counter for `key`, made with `load()` (requests already counted in the current period) when missing.
    public func counter(_ key: Key, periodStart: Int, load: () -> Int64) -> QuotaCounter {
        if let existing = counters.withLock({ $0[key] }) { return existing }
        let used = load()
        return counters.withLock { all in
            if let existing = all[key] { return existing }
            let counter = QuotaCounter(usagePlanId: key.usagePlanId, keyId: key.keyId, periodStart: periodStart, used: used)
            all[key] = counter
            return counter
        }
    }

    /// Keeps only the counters in `live`; the others are retired (flushed once more, then dropped).
    public func retain(_ live: Set<Key>) {
        let dropped = counters.withLock { all -> [QuotaCounter] in
            let gone = all.keys.filter { !live.contains($0) }
            return gone.compactMap { all.removeValue(forKey: $0) }
        }
        if !dropped.isEmpty { retired.withLock { $0.append(contentsOf: dropped) } }
    }

    /// The live counters of a plan and key (UpdateUsage moves them).
    public func counters(usagePlanId: String, keyId: String) -> [QuotaCounter] {
        counters.withLock { all in all.filter { $0.key.usagePlanId == usagePlanId && $0.key.keyId == keyId }.map(\.value) }
    }

    /// Every counter with pending counts to write: the live ones and the retired ones (which are then forgotten).
    public func drainForFlush() -> [QuotaCounter] {
        let live = counters.withLock { Array($0.values) }
        let old = retired.withLock { list in
            defer { list.removeAll() }
            return list
        }
        return live + old
    }

    /// Forgets everything (a reset of the store).
    public func removeAll() {
        counters.withLock { $0.removeAll() }
        retired.withLock { $0.removeAll() }
    }
}
