import Synchronization

/// Authorizer results kept for the authorizer's TTL, keyed by the request's identity-source
/// values (AWS: "API Gateway caches the policy ... keyed on the identity sources"). One cache per
/// stage and authorizer, shared by the stage's event loops; it lives as long as the compiled
/// deployment, so a redeploy starts empty (as AWS flushes a stage's authorizer cache on deploy).
///
/// Only the authorizer path touches the lock, never a request to a method without an authorizer.
public final class AuthorizerResultCache<Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let ttl: Duration
    /// Bounds memory: past this many keys, expired entries are dropped, then everything.
    private let capacity: Int

    public init(ttlSeconds: Int, capacity: Int = 10_000) {
        self.ttl = .seconds(ttlSeconds)
        self.capacity = capacity
    }

    public var isEnabled: Bool { ttl > .zero }

    /// The cache key for identity-source values: each value prefixed with its length, so that no
    /// two different lists give the same key (a separator alone could be forged inside a value).
    /// nil for an empty list, which cannot be cached.
    public static func key(_ values: [String]) -> String? {
        guard !values.isEmpty else { return nil }
        var key = ""
        for value in values {
            key += String(value.utf8.count)
            key += ":"
            key += value
        }
        return key
    }

    public func value(for key: String, now: ContinuousClock.Instant = .now) -> Value? {
        guard isEnabled else { return nil }
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            if entry.expires <= now {
                entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    public func store(_ value: Value, for key: String, now: ContinuousClock.Instant = .now) {
        guard isEnabled else { return }
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= capacity { entries.removeAll() }
            }
            entries[key] = Entry(value: value, expires: now + ttl)
        }
    }

    /// Drops every result (FlushStageAuthorizersCache).
    public func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}
