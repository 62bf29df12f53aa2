import Foundation
import Logging
import PorticoManagement
import PorticoModel
import PorticoRuntime
import PorticoStore
import Synchronization

/// The durable side of the quota counters: every `interval` it takes the counts the data plane admitted and has
/// not yet written (``QuotaCounter/takePending()``) and adds them to the store's usage history in one transaction.
/// No SQLite write happens on the request path. A final ``flush()`` runs after the data plane has drained, so a
/// clean stop loses nothing; a crash loses at most the requests admitted in the last interval (see
/// docs/USAGE_PLANS.md). GetUsage and UpdateUsage flush first, so they see every admitted request.
final class UsageFlusher: LiveUsage, Sendable {
    static let interval: Duration = .milliseconds(200)

    let counters: UsageCounters
    let store: any Store
    let logger: Logger
    /// The last flush started. Flushes run one after another: a flush that found nothing pending
    /// because another had just taken the counts must not return before those are written (the
    /// final flush at shutdown, and GetUsage's, rely on that).
    private let last = Mutex<Task<Void, Never>?>(nil)

    init(counters: UsageCounters, store: any Store, logger: Logger) {
        self.counters = counters
        self.store = store
        self.logger = logger
    }

    func flush() async {
        let task = last.withLock { last -> Task<Void, Never> in
            let previous = last
            let task = Task {
                await previous?.value
                await self.writePending()
            }
            last = task
            return task
        }
        await task.value
    }

    private func writePending() async {
        var taken: [(QuotaCounter, [Int: Int64])] = []
        var records: [UsageRecord] = []
        for counter in counters.drainForFlush() {
            let pending = counter.takePending()
            guard !pending.isEmpty else { continue }
            taken.append((counter, pending))
            for (day, used) in pending {
                records.append(UsageRecord(usagePlanId: counter.usagePlanId, keyId: counter.keyId, day: QuotaPeriod.dayText(day), used: used))
            }
        }
        guard !records.isEmpty else { return }
        let batch = records
        do {
            try await store.transaction { transaction in try transaction.addUsage(batch) }
        } catch {
            // Put the counts back so the next flush tries again.
            for (counter, pending) in taken { counter.restorePending(pending) }
            logger.error("writing usage counts failed; will retry", metadata: ["error": "\(error)"])
        }
    }

    func adjust(usagePlanId: String, keyId: String, by delta: Int64, periodStart: Int) {
        for counter in counters.counters(usagePlanId: usagePlanId, keyId: keyId) {
            counter.adjust(by: delta, periodStart: periodStart)
        }
    }

    /// Flushes every `interval` until cancelled.
    func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.interval)
            await flush()
        }
    }
}
