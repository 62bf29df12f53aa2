import PorticoModel
import PorticoStore

/// UpdateUsagePlan's patch paths (AWS's "UpdateUsagePlan" reference):
/// - `/name`, `/description`, `/productCode`: replace;
/// - `/apiStages`: add or remove the stage `{apiId}:{stage}` given as the value;
/// - `/apiStages/{apiId}:{stage}/throttle/{resourcePath}/{httpMethod}/rateLimit|burstLimit`: add or replace one
///   per-method throttle member (the resource path JSON-pointer-escaped, `~1pets`);
///   `/apiStages/{apiId}:{stage}/throttle/{resourcePath}/{httpMethod}` or `/apiStages/{apiId}:{stage}/throttle`:
///   remove;
/// - `/throttle/rateLimit`, `/throttle/burstLimit`, `/quota/limit`, `/quota/period`, `/quota/offset`: add or
///   replace; `/throttle`, `/quota`: remove.
enum UsagePlanPatch {
    static func apply(_ operation: PatchOperation, to plan: inout UsagePlan, _ transaction: any StoreTransaction, accountId: String) throws {
        let segments = operation.segments
        switch (segments.first ?? "", segments.count) {
        case ("name", 1):
            try operation.requireReplace()
            let name = try operation.requiredValue()
            guard !name.isEmpty else { throw UsagePlanMessages.usagePlanNameRequired }
            plan.name = name
        case ("description", 1):
            try operation.requireReplace()
            plan.description = operation.value.flatMap { $0.isEmpty ? nil : $0 }
        case ("productCode", 1):
            try operation.requireReplace()
            plan.productCode = operation.value.flatMap { $0.isEmpty ? nil : $0 }
        case ("apiStages", 1):
            try patchApiStages(operation, &plan, transaction, accountId: accountId)
        case ("apiStages", _):
            try patchStageThrottle(operation, segments, &plan, transaction)
        case ("throttle", 1):
            guard operation.op == .remove else { throw operation.invalidPath }
            plan.throttle = nil
        case ("throttle", 2):
            var throttle = plan.throttle ?? ThrottleSettings()
            try setThrottleMember(operation, segments[1], &throttle)
            plan.throttle = throttle
        case ("quota", 1):
            guard operation.op == .remove else { throw operation.invalidPath }
            plan.quota = nil
        case ("quota", 2):
            guard operation.op == .replace || operation.op == .add else { throw operation.invalidPath }
            var quota = plan.quota ?? QuotaSettings()
            switch segments[1] {
            case "limit": quota.limit = try operation.integerValue()
            case "offset": quota.offset = try operation.integerValue()
            case "period": quota.period = try operation.requiredValue()
            default: throw operation.invalidPath
            }
            plan.quota = quota
        default:
            throw operation.invalidPath
        }
    }

    private static func patchApiStages(
        _ operation: PatchOperation, _ plan: inout UsagePlan, _ transaction: any StoreTransaction, accountId: String
    ) throws {
        let value = try operation.requiredValue()
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw APIError.badRequest("Invalid API stage specified: \(value)") }  // guess
        let stage = UsagePlanApiStage(apiId: parts[0], stage: parts[1])
        switch operation.op {
        case .add:
            try UsagePlanOperations.checkApiStages(plan.apiStages + [stage], transaction, accountId: accountId)
            plan.apiStages.append(stage)
        case .remove:
            guard plan.apiStages.contains(where: { $0.reference == value }) else {
                throw APIError.notFound("Invalid API stage specified: \(value)")  // guess
            }
            plan.apiStages.removeAll { $0.reference == value }
        default:
            throw APIError.badRequest("Invalid patch operation specified. Must be one of: [add, remove]")
        }
    }

    /// `/apiStages/{apiId}:{stage}/throttle[/{resourcePath}/{httpMethod}[/rateLimit|burstLimit]]`.
    private static func patchStageThrottle(
        _ operation: PatchOperation, _ segments: [String], _ plan: inout UsagePlan, _ transaction: any StoreTransaction
    ) throws {
        guard segments.count >= 3, segments[2] == "throttle",
            let index = plan.apiStages.firstIndex(where: { $0.reference == segments[1] })
        else { throw operation.invalidPath }
        if segments.count == 3 {
            guard operation.op == .remove else { throw operation.invalidPath }
            plan.apiStages[index].throttle = nil
            return
        }
        guard segments.count == 5 || segments.count == 6 else { throw operation.invalidPath }
        let methodPath = "\(segments[3])/\(segments[4])"
        if segments.count == 5 {
            guard operation.op == .remove else { throw operation.invalidPath }
            plan.apiStages[index].throttle?[methodPath] = nil
            if plan.apiStages[index].throttle?.isEmpty == true { plan.apiStages[index].throttle = nil }
            return
        }
        let stage = plan.apiStages[index]
        if let document = try transaction.restApiDocument(id: stage.apiId) {
            try UsagePlanOperations.checkMethodPath(methodPath, document)
        } else if let document = try transaction.apiDocument(id: stage.apiId), document.api.protocolType == .websocket {
            try UsagePlanOperations.checkWebSocketRoutePath(methodPath, document)
        }
        var throttle = stage.throttle?[methodPath] ?? ThrottleSettings()
        try setThrottleMember(operation, segments[5], &throttle)
        plan.apiStages[index].throttle = (stage.throttle ?? [:]).merging([methodPath: throttle]) { $1 }
    }

    private static func setThrottleMember(_ operation: PatchOperation, _ member: String, _ throttle: inout ThrottleSettings) throws {
        guard operation.op == .replace || operation.op == .add else { throw operation.invalidPath }
        switch member {
        case "rateLimit": throttle.rateLimit = try operation.doubleValue()
        case "burstLimit": throttle.burstLimit = try operation.integerValue()
        default: throw operation.invalidPath
        }
        try UsagePlanOperations.checkThrottle(throttle)
    }
}
