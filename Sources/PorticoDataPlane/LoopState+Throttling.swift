import NIOCore
import PorticoRuntime

/// The stage and account throttles, in AWS's order (REST developer guide, "How throttling limit settings are
/// applied": a usage plan's per-client or per-method limit, then the stage's per-method limit, then the account's
/// per Region). Most specific first, so a request the method's bucket refuses takes nothing from the account's:
/// one hot method held at its own limit does not starve the others.
extension LoopState {
    /// Takes a token from the method's or route's stage bucket (if any), then from the account's; false
    /// (answer 429) when one of them is empty. No lock: each bucket is one atomic compare-exchange.
    /// `now`: the request's arrival on the throttle clock, when the caller has it (one clock read less).
    func admits(stageThrottle: SharedTokenBucket?, now: Int64 = throttleClock()) -> Bool {
        if stageThrottle == nil, accountThrottle == nil { return true }
        if let stageThrottle, !stageThrottle.take(now: now) { return false }
        if let accountThrottle, !accountThrottle.take(now: now) { return false }
        return true
    }

    /// Monotonic nanoseconds, the clock every bucket is read with.
    @inline(__always)
    static func throttleClock() -> Int64 {
        Int64(truncatingIfNeeded: NIODeadline.now().uptimeNanoseconds)
    }
}
