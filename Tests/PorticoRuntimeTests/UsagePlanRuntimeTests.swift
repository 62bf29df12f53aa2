import Foundation
import PorticoModel
import Testing

@testable import PorticoRuntime

/// Token-bucket arithmetic with an injected clock, quota calendars, and the exactness of quota counters under
/// concurrent admission.
struct UsagePlanRuntimeTests {
    static let second: Int64 = 1_000_000_000

    @Test func fullBucketAdmitsBurstThenOnePerInterval() {
        var bucket = TokenBucket(rate: 10, burst: 5)
        let start: Int64 = 1_000 * Self.second
        #expect(Self.take(&bucket, times: 5, now: start) == 5)
        #expect(Self.take(&bucket, times: 1, now: start) == 0)
        // One token every 100 ms.
        #expect(Self.take(&bucket, times: 1, now: start + 99_999_999) == 0)
        #expect(Self.take(&bucket, times: 2, now: start + 100_000_000) == 1)
        // Idle for a long time: back to a full bucket, never more.
        let later = start + 60 * Self.second
        #expect(Self.take(&bucket, times: 5, now: later) == 5)
        #expect(Self.take(&bucket, times: 1, now: later) == 0)
    }

    static func take(_ bucket: inout TokenBucket, times: Int, now: Int64) -> Int {
        var admitted = 0
        for _ in 0..<times where bucket.take(now: now) { admitted += 1 }
        return admitted
    }

    @Test func saturationAdmitsBurstPlusRateTimesSeconds() {
        var bucket = TokenBucket(rate: 100, burst: 20)
        var admitted = 0
        let start: Int64 = 5 * Self.second
        // 1000 requests per second for 10 s (one every ms), well above the rate.
        for millisecond in 0..<10_000 where bucket.take(now: start + Int64(millisecond) * 1_000_000) {
            admitted += 1
        }
        // burst + rate × 9.999 s: 20 + 999 (the token due at exactly 10 s is outside the window).
        #expect(admitted == 20 + 999)
    }

    @Test func zeroRateOrBurstAdmitsNothing() {
        var noBurst = TokenBucket(rate: 10, burst: 0)
        var noRate = TokenBucket(rate: 0, burst: 10)
        let burstless = noBurst.take(now: 0)
        let rateless = noRate.take(now: 0)
        #expect(!burstless && !rateless)
    }

    @Test func sharedBucketMatchesTheValueBucket() {
        var model = TokenBucket(rate: 3, burst: 2)
        let shared = SharedTokenBucket(rate: 3, burst: 2)
        for step in 0..<200 {
            let now = Int64(step) * 50_000_000
            let expected = model.take(now: now)
            #expect(expected == shared.take(now: now))
        }
    }

    @Test func quotaCalendars() {
        // 2026-11-27 is a Friday.
        let friday = QuotaPeriod.epochDay(ofText: "2026-11-27")!
        #expect(QuotaPeriod.dayText(friday) == "2026-11-27")
        #expect(QuotaPeriod.day.start(containing: friday, offset: 0) == friday)
        #expect(QuotaPeriod.dayText(QuotaPeriod.week.start(containing: friday, offset: 0)) == "2026-11-22")  // Sunday
        #expect(QuotaPeriod.dayText(QuotaPeriod.week.start(containing: friday, offset: 1)) == "2026-11-23")  // Monday
        #expect(QuotaPeriod.dayText(QuotaPeriod.week.start(containing: friday, offset: 5)) == "2026-11-27")
        #expect(QuotaPeriod.dayText(QuotaPeriod.month.start(containing: friday, offset: 0)) == "2026-11-01")
        #expect(QuotaPeriod.dayText(QuotaPeriod.month.start(containing: friday, offset: 27)) == "2026-10-28")
        let january = QuotaPeriod.epochDay(ofText: "2027-01-03")!
        #expect(QuotaPeriod.dayText(QuotaPeriod.month.start(containing: january, offset: 9)) == "2026-12-10")
        #expect(QuotaPeriod.epochDay(ofText: "2026-02-30") == nil)
        #expect(QuotaPeriod.epochDay(ofText: "yesterday") == nil)
    }

    @Test func quotaIsExactUnderConcurrency() async {
        let counter = QuotaCounter(usagePlanId: "p", keyId: "k", periodStart: 100, used: 3)
        let admitted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<500).reduce(0) { count, _ in count + (counter.admit(limit: 1_000, periodStart: 100, day: 100) ? 1 : 0) } }
            }
            return await group.reduce(0, +)
        }
        #expect(admitted == 997)
        #expect(counter.used(periodStart: 100) == 1_000)
        #expect(counter.takePending() == [100: 997])
        #expect(counter.takePending().isEmpty)
        // A new period starts from zero; a request on a later day than pending counts is kept apart.
        #expect(counter.admit(limit: 1_000, periodStart: 101, day: 101))
        #expect(counter.used(periodStart: 101) == 1)
        #expect(counter.admit(limit: nil, periodStart: 101, day: 101))
        #expect(counter.admit(limit: nil, periodStart: 102, day: 102))
        #expect(counter.takePending() == [101: 2, 102: 1])
    }
}
