import PorticoJWT

/// What the key store knows of one issuer, and its rules for fetching, as a value that decides and
/// does no I/O (so the rate limit and the cache lifetime are unit-tested with a made-up clock):
///
/// - the first request for an issuer starts a fetch, and it and any request arriving meanwhile are
///   answered once that fetch ends;
/// - keys are kept for ``ttlNanos`` (AWS: "API Gateway caches public keys for two hours"); an
///   older set is still used while a background refresh runs, and kept if the refresh fails;
/// - a token with an unknown `kid` may refresh the set, but at most once per
///   ``minRefreshIntervalNanos`` per issuer (so made-up `kid`s cannot make Portico hammer the
///   issuer); within that interval it is refused at once;
/// - a failed fetch is not retried within the same interval: requests meanwhile are refused.
struct IssuerKeys {
    enum Reason { case first, unknownKey }
    enum Decision {
        /// Use these keys (nil: there are none, refuse).
        case answer(JSONWebKeySet?)
        /// Wait for the fetch that is running (or that this call started, when `start`).
        case wait(start: Bool)
    }

    let ttlNanos: UInt64
    let minRefreshIntervalNanos: UInt64
    private(set) var keys: JSONWebKeySet?
    private(set) var fetchedAt: UInt64?
    private(set) var lastAttempt: UInt64?
    private(set) var fetching = false

    init(ttlNanos: UInt64, minRefreshIntervalNanos: UInt64) {
        self.ttlNanos = ttlNanos
        self.minRefreshIntervalNanos = minRefreshIntervalNanos
    }

    private func mayFetch(now: UInt64) -> Bool {
        guard let lastAttempt else { return true }
        return now &- lastAttempt >= minRefreshIntervalNanos
    }

    /// The fast path: the keys to verify with, and whether a background refresh should start
    /// (the set is older than the TTL).
    mutating func current(now: UInt64) -> (keys: JSONWebKeySet?, refresh: Bool) {
        guard let keys, let fetchedAt else { return (nil, false) }
        if now &- fetchedAt >= ttlNanos, !fetching, mayFetch(now: now) {
            fetching = true
            lastAttempt = now
            return (keys, true)
        }
        return (keys, false)
    }

    mutating func request(_ reason: Reason, now: UInt64) -> Decision {
        if fetching { return .wait(start: false) }
        switch reason {
        case .first where keys != nil:
            return .answer(keys)
        case .first, .unknownKey:
            guard mayFetch(now: now) else { return .answer(keys) }
            fetching = true
            lastAttempt = now
            return .wait(start: true)
        }
    }

    /// A fetch ended: the new set (nil when it failed, and the old one stays).
    mutating func fetched(_ result: JSONWebKeySet?, now: UInt64) -> JSONWebKeySet? {
        fetching = false
        if let result {
            keys = result
            fetchedAt = now
        }
        return keys
    }
}
