import Foundation
import PorticoModel
import PorticoStore

/// GetUsage and UpdateUsage: a plan's per-key, per-day usage, and a key's remaining quota.
enum UsageOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("GET", "/usageplans/{usageplanId}/usage", getUsage)
        router.add("PATCH", "/usageplans/{usageplanId}/keys/{keyId}/usage", updateUsage)
    }

    /// The `Usage` shape: `values` (botocore's `items`) maps each key id to one `[used, remaining]` pair per day
    /// from `startDate` to `endDate`.
    struct Usage: Encodable {
        var usagePlanId: String
        var startDate: String
        var endDate: String
        var values: [String: [[Int64]]]
        var position: String?
    }

    /// At most this many days in one GetUsage answer (AWS allows a range of up to 90 days; guess at the wording).
    static let maximumDays = 90

    @Sendable static func getUsage(_ context: OperationContext) async throws -> ManagementResponse {
        let planId = context.parameter("usageplanId")
        let query = try context.query()
        let keyId = query.first("keyId")
        guard let startText = query.first("startDate") else { throw APIError.badRequest("The start date must be specified") }
        guard let endText = query.first("endDate") else { throw APIError.badRequest("The end date must be specified") }
        guard let start = QuotaPeriod.epochDay(ofText: startText) else { throw UsagePlanMessages.invalidDate("startDate", startText) }
        guard let end = QuotaPeriod.epochDay(ofText: endText) else { throw UsagePlanMessages.invalidDate("endDate", endText) }
        guard start <= end else { throw APIError.badRequest("The start date must not be after the end date") }
        guard end - start < maximumDays else { throw APIError.badRequest("The date range must not exceed \(maximumDays) days") }
        await context.liveUsage?.flush()
        let usage = try await context.transaction { transaction in
            let document = try UsagePlanOperations.planDocument(transaction, planId)
            if let keyId, !document.keyIds.contains(keyId) { throw UsagePlanMessages.usagePlanKeyNotFound }
            let keyIds = keyId.map { [$0] } ?? document.keyIds
            var values: [String: [[Int64]]] = [:]
            for id in keyIds {
                values[id] = try series(document.plan, keyId: id, start: start, end: end, transaction)
            }
            return Usage(usagePlanId: planId, startDate: startText, endDate: endText, values: values)
        }
        return try .restJSON(200, usage)
    }

    /// `[used, remaining]` per day. `remaining` is the quota left at the end of that day in its quota period;
    /// without a quota it is 0 (a guess: AWS's documentation does not say).
    static func series(_ plan: UsagePlan, keyId: String, start: Int, end: Int, _ transaction: any StoreTransaction) throws -> [[Int64]] {
        let quota = plan.quota
        let period = quota?.period.flatMap(QuotaPeriod.init(rawValue:))
        let offset = quota?.offset ?? 0
        // Read from the start of the first day's quota period, so remaining counts the whole period.
        let from = period?.start(containing: start, offset: offset) ?? start
        let records = try transaction.usage(
            usagePlanId: plan.id, keyId: keyId, from: QuotaPeriod.dayText(from), to: QuotaPeriod.dayText(end))
        var byDay: [Int: Int64] = [:]
        for record in records {
            if let day = QuotaPeriod.epochDay(ofText: record.day) { byDay[day, default: 0] += record.used }
        }
        var result: [[Int64]] = []
        for day in start...end {
            let used = byDay[day] ?? 0
            guard let period, let limit = quota?.limit else {
                result.append([used, 0])
                continue
            }
            let periodStart = period.start(containing: day, offset: offset)
            let usedInPeriod = (periodStart...day).reduce(Int64(0)) { $0 + (byDay[$1] ?? 0) }
            result.append([used, max(0, Int64(limit) - usedInPeriod)])
        }
        return result
    }

    /// UpdateUsage: `replace /keyId:{keyId}/remaining` sets the key's remaining quota in the current period. The
    /// difference is recorded as usage on today's date (so GetUsage shows it, and a restart keeps it) and applied
    /// to the live counter.
    @Sendable static func updateUsage(_ context: OperationContext) async throws -> ManagementResponse {
        let planId = context.parameter("usageplanId")
        let keyId = context.parameter("keyId")
        let operations = try PatchOperation.read(try context.body(), input: "updateUsageInput")
        var requested: Int64?
        for operation in operations {
            guard operation.path == "/keyId:\(keyId)/remaining" || operation.path == "/remaining" else { throw operation.invalidPath }
            try operation.requireReplace()
            let value = try operation.integerValue()
            guard value >= 0 else { throw APIError.badRequest("Invalid remaining value: \(value)") }  // guess
            requested = Int64(value)
        }
        let remaining = requested
        let today = QuotaPeriod.epochDay(of: context.now)
        await context.liveUsage?.flush()
        let (usage, delta, periodStart) = try await context.transaction { transaction in
            let document = try UsagePlanOperations.planDocument(transaction, planId)
            guard document.keyIds.contains(keyId) else { throw UsagePlanMessages.usagePlanKeyNotFound }
            var delta: Int64 = 0
            var periodStart = today
            if let remaining {
                guard let quota = document.plan.quota, let limit = quota.limit,
                    quota.period.flatMap(QuotaPeriod.init(rawValue:)) != nil
                else {
                    throw APIError.badRequest("Usage plan \(planId) has no quota")  // guess
                }
                let period = quota.period.flatMap(QuotaPeriod.init(rawValue:)) ?? .day
                periodStart = period.start(containing: today, offset: quota.offset ?? 0)
                let current = try series(document.plan, keyId: keyId, start: today, end: today, transaction)[0]
                let usedInPeriod = Int64(limit) - current[1]
                delta = (Int64(limit) - remaining) - usedInPeriod
                try transaction.addUsage([
                    UsageRecord(usagePlanId: planId, keyId: keyId, day: QuotaPeriod.dayText(today), used: delta)
                ])
            }
            let values = [keyId: try series(document.plan, keyId: keyId, start: today, end: today, transaction)]
            let text = QuotaPeriod.dayText(today)
            return (Usage(usagePlanId: planId, startDate: text, endDate: text, values: values), delta, periodStart)
        }
        if delta != 0 { context.liveUsage?.adjust(usagePlanId: planId, keyId: keyId, by: delta, periodStart: periodStart) }
        return try .restJSON(200, usage)
    }
}
