import Foundation
import PorticoModel
import PorticoStore

/// CreateUsagePlan, GetUsagePlans, GetUsagePlan, UpdateUsagePlan (`UsagePlanPatch`), DeleteUsagePlan.
enum UsagePlanOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/usageplans", createUsagePlan)
        router.add("GET", "/usageplans", getUsagePlans)
        router.add("GET", "/usageplans/{usageplanId}", getUsagePlan)
        router.add("PATCH", "/usageplans/{usageplanId}", updateUsagePlan)
        router.add("DELETE", "/usageplans/{usageplanId}", deleteUsagePlan)
    }

    @Sendable static func createUsagePlan(_ context: OperationContext) async throws -> ManagementResponse {
        let body = try context.body()
        let name = try body.string("name") ?? ""
        guard !name.isEmpty else { throw UsagePlanMessages.usagePlanNameRequired }
        var template = UsagePlan(id: "", name: name)
        template.description = try body.string("description")
        template.productCode = try body.string("productCode")
        template.tags = try body.stringMap("tags").map { try TagValidation.merged([:], with: $0) }
        template.throttle = try body.object("throttle").map(readThrottle)
        template.quota = try body.object("quota").map(readQuota)
        template.apiStages = try (body.objectList("apiStages") ?? []).map { entry in
            var stage = UsagePlanApiStage(apiId: try entry.string("apiId") ?? "", stage: try entry.string("stage") ?? "")
            if let throttle = try entry.objectMap("throttle") {
                stage.throttle = try throttle.mapValues(readThrottle)
            }
            return stage
        }
        let accountId = context.configuration.accountId
        let plan = template
        let created = try await context.transaction { transaction in
            try checkApiStages(plan.apiStages, transaction, accountId: accountId)
            var plan = plan
            let existing = Set(try transaction.allUsagePlans().map(\.plan.id))
            repeat { plan.id = Identifier.random(length: UsagePlan.idLength) } while existing.contains(plan.id)
            try transaction.putUsagePlan(UsagePlanDocument(plan: plan))
            return plan
        }
        return try .restJSON(201, created)
    }

    static func readThrottle(_ body: JSONBody) throws(APIError) -> ThrottleSettings {
        let settings = ThrottleSettings(burstLimit: try body.integer("burstLimit"), rateLimit: try body.double("rateLimit"))
        try checkThrottle(settings)
        return settings
    }

    static func checkThrottle(_ settings: ThrottleSettings) throws(APIError) {
        guard (settings.burstLimit ?? 0) >= 0, (settings.rateLimit ?? 0) >= 0 else { throw UsagePlanMessages.negativeThrottle }
    }

    static func readQuota(_ body: JSONBody) throws(APIError) -> QuotaSettings {
        let quota = QuotaSettings(limit: try body.integer("limit"), offset: try body.integer("offset"), period: try body.string("period"))
        try checkQuota(quota)
        return quota
    }

    static func checkQuota(_ quota: QuotaSettings) throws(APIError) {
        guard (quota.limit ?? 0) >= 0 else { throw UsagePlanMessages.negativeQuota }
        guard let text = quota.period else { return }
        guard let period = QuotaPeriod(rawValue: text) else { throw UsagePlanMessages.invalidQuotaPeriod(text) }
        let offset = quota.offset ?? 0
        guard (0...period.maximumOffset).contains(offset) else { throw UsagePlanMessages.invalidQuotaOffset(offset, period: period) }
    }

    /// Each stage must be a stage of a REST API, and each per-method throttle must name `/{resourcePath}/{METHOD}`
    /// of a resource of that API (or `*` for the path or method, as REST method settings do).
    static func checkApiStages(_ stages: [UsagePlanApiStage], _ transaction: any StoreTransaction, accountId: String) throws {
        var seen = Set<String>()
        for stage in stages {
            if try transaction.restApiDocument(id: stage.apiId) == nil, let webSocket = try transaction.apiDocument(id: stage.apiId),
                webSocket.api.protocolType == .websocket
            {
                // WebSocket APIs take usage plans too (their routes' `apiKeyRequired`). Per-method throttles
                // name a route as `/{routeKey}/*` (Portico's mapping: routes have no method; AWS's answer for
                // WebSocket stages is not recorded).
                guard webSocket.stage(stage.stage) != nil else { throw UsagePlanMessages.invalidStage(stage.apiId, stage.stage) }
                guard seen.insert(stage.reference).inserted else {
                    throw APIError.conflict("API stage \(stage.reference) is already in the usage plan")  // guess
                }
                for methodPath in (stage.throttle ?? [:]).keys {
                    try checkWebSocketRoutePath(methodPath, webSocket)
                }
                continue
            }
            guard let document = try transaction.restApiDocument(id: stage.apiId) else {
                throw UsagePlanMessages.invalidApiStage(stage.apiId, accountId: accountId)
            }
            guard document.stage(stage.stage) != nil else { throw UsagePlanMessages.invalidStage(stage.apiId, stage.stage) }
            guard seen.insert(stage.reference).inserted else {
                throw APIError.conflict("API stage \(stage.reference) is already in the usage plan")  // guess
            }
            for methodPath in (stage.throttle ?? [:]).keys {
                try checkMethodPath(methodPath, document)
            }
        }
    }

    /// A WebSocket stage's per-route throttle key: `/{routeKey}/*` for a route of the API.
    static func checkWebSocketRoutePath(_ methodPath: String, _ document: ApiDocument) throws(APIError) {
        guard methodPath.hasPrefix("/"), methodPath.hasSuffix("/*"), methodPath.count > 3,
            document.routes.contains(where: { UsagePlanApiStage.webSocketThrottleKey(routeKey: $0.routeKey) == methodPath })
        else { throw UsagePlanMessages.invalidMethod(methodPath) }
    }

    static func checkMethodPath(_ methodPath: String, _ document: RestApiDocument) throws(APIError) {
        guard methodPath.hasPrefix("/"), let slash = methodPath.lastIndex(of: "/"), slash != methodPath.startIndex else {
            throw UsagePlanMessages.invalidMethod(methodPath)
        }
        let path = String(methodPath[..<slash])
        let method = String(methodPath[methodPath.index(after: slash)...])
        if path == "/*" { return }
        guard let resource = document.resources.first(where: { $0.path == path }) else { throw UsagePlanMessages.invalidMethod(methodPath) }
        guard method == "*" || resource.method(method) != nil || resource.method("ANY") != nil else {
            throw UsagePlanMessages.invalidMethod(methodPath)
        }
    }

    @Sendable static func getUsagePlans(_ context: OperationContext) async throws -> ManagementResponse {
        let keyId = try context.query().first("keyId")
        let plans = try await context.transaction { transaction in
            if let keyId, try transaction.apiKey(id: keyId) == nil { throw UsagePlanMessages.apiKeyNotFound }
            return try transaction.allUsagePlans().filter { keyId == nil || $0.keyIds.contains(keyId!) }.map(\.plan)
        }
        return try .restJSON(200, RestListPage(try context.restPage(plans, kind: "usageplans", key: \.id)))
    }

    @Sendable static func getUsagePlan(_ context: OperationContext) async throws -> ManagementResponse {
        let id = context.parameter("usageplanId")
        let plan = try await context.transaction { transaction in try planDocument(transaction, id).plan }
        return try .restJSON(200, plan)
    }

    static func planDocument(_ transaction: any StoreTransaction, _ id: String) throws -> UsagePlanDocument {
        guard let document = try transaction.usagePlan(id: id) else { throw UsagePlanMessages.usagePlanNotFound }
        return document
    }

    @Sendable static func updateUsagePlan(_ context: OperationContext) async throws -> ManagementResponse {
        let id = context.parameter("usageplanId")
        let operations = try PatchOperation.read(try context.body(), input: "updateUsagePlanInput")
        let accountId = context.configuration.accountId
        let updated = try await context.transaction { transaction in
            var document = try planDocument(transaction, id)
            for operation in operations {
                try UsagePlanPatch.apply(operation, to: &document.plan, transaction, accountId: accountId)
            }
            try checkQuota(document.plan.quota ?? QuotaSettings())
            try transaction.putUsagePlan(document)
            return document.plan
        }
        return try .restJSON(200, updated)
    }

    @Sendable static func deleteUsagePlan(_ context: OperationContext) async throws -> ManagementResponse {
        let id = context.parameter("usageplanId")
        try await context.transaction { transaction in
            _ = try planDocument(transaction, id)
            try transaction.deleteUsagePlan(id: id)
        }
        return .accepted
    }
}
