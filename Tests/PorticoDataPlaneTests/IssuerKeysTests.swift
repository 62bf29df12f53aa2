import PorticoJWT
import Testing

@testable import PorticoDataPlane

/// The key store's fetch rules, with a made-up clock (nanoseconds).
struct IssuerKeysTests {
    let second: UInt64 = 1_000_000_000
    let keys = JSONWebKeySet(keys: [])

    func waits(_ decision: IssuerKeys.Decision, start: Bool) -> Bool {
        if case .wait(let started) = decision { return started == start }
        return false
    }

    func answers(_ decision: IssuerKeys.Decision) -> JSONWebKeySet?? {
        if case .answer(let keys) = decision { return .some(keys) }
        return .none
    }

    @Test func theFirstRequestFetchesAndOthersWait() {
        var state = IssuerKeys(ttlNanos: 7200 * second, minRefreshIntervalNanos: 10 * second)
        #expect(waits(state.request(.first, now: 0), start: true))
        #expect(waits(state.request(.first, now: 1), start: false))
        #expect(waits(state.request(.unknownKey, now: 2), start: false))
        #expect(state.fetched(keys, now: 3) != nil)
        #expect(answers(state.request(.first, now: 4)) != nil)
    }

    @Test func unknownKidRefreshesAtMostOncePerInterval() {
        var state = IssuerKeys(ttlNanos: 7200 * second, minRefreshIntervalNanos: 10 * second)
        _ = state.request(.first, now: 0)
        _ = state.fetched(keys, now: 0)
        // Within the interval of the last fetch: answered at once with the keys it has.
        #expect(answers(state.request(.unknownKey, now: 9 * second)) != nil)
        #expect(waits(state.request(.unknownKey, now: 10 * second), start: true))
        _ = state.fetched(keys, now: 10 * second)
        #expect(answers(state.request(.unknownKey, now: 19 * second)) != nil)
        #expect(waits(state.request(.unknownKey, now: 20 * second), start: true))
    }

    @Test func aFailedFirstFetchIsNotRetriedWithinTheInterval() {
        var state = IssuerKeys(ttlNanos: 7200 * second, minRefreshIntervalNanos: 10 * second)
        _ = state.request(.first, now: 0)
        #expect(state.fetched(nil, now: second) == nil)
        let answer = answers(state.request(.first, now: 5 * second))
        #expect(answer != nil && answer! == nil)
        #expect(waits(state.request(.first, now: 10 * second), start: true))
    }

    @Test func aFailedRefreshKeepsTheKeys() {
        var state = IssuerKeys(ttlNanos: 7200 * second, minRefreshIntervalNanos: 0)
        _ = state.request(.first, now: 0)
        _ = state.fetched(keys, now: 0)
        _ = state.request(.unknownKey, now: second)
        #expect(state.fetched(nil, now: 2 * second) != nil)
    }

    @Test func keysOlderThanTheTTLAreRefreshedInTheBackground() {
        var state = IssuerKeys(ttlNanos: 100 * second, minRefreshIntervalNanos: 10 * second)
        _ = state.request(.first, now: 0)
        _ = state.fetched(keys, now: 0)
        #expect(state.current(now: 99 * second).refresh == false)
        let stale = state.current(now: 100 * second)
        #expect(stale.keys != nil && stale.refresh)
        // Only one background refresh at a time.
        #expect(state.current(now: 101 * second).refresh == false)
    }
}
