import Foundation
import PorticoModel
import PorticoObservability
import PorticoStore

/// CreateStage, GetStages, GetStage, UpdateStage, DeleteStage, DeleteAccessLogSettings, DeleteRouteSettings.
enum StageOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/v2/apis/{apiId}/stages", createStage)
        router.add("GET", "/v2/apis/{apiId}/stages", getStages)
        router.add("GET", "/v2/apis/{apiId}/stages/{stageName}", getStage)
        router.add("PATCH", "/v2/apis/{apiId}/stages/{stageName}", updateStage)
        router.add("DELETE", "/v2/apis/{apiId}/stages/{stageName}", deleteStage)
        router.add("DELETE", "/v2/apis/{apiId}/stages/{stageName}/accesslogsettings", deleteAccessLogSettings)
        router.add("DELETE", "/v2/apis/{apiId}/stages/{stageName}/routesettings/{routeKey}", deleteRouteSettings)
    }

    @Sendable static func createStage(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let body = try context.body()
        let stageName = try body.required("stageName", body.string("stageName", length: 1...128))
        try StageValidation.validateName(stageName)
        var template = Stage(stageName: stageName, createdDate: context.now)
        try applyMembers(body, to: &template)
        try refuseDeploymentIdOnAutoDeploy(template, body: body, apiId: apiId, context: context)
        if let tags = try body.stringMap("tags") {
            template.tags = try TagValidation.merged([:], with: tags)
        }
        let stage = template

        let created = try await context.transaction { transaction in
            var document = try context.document(transaction, apiId)
            guard document.stage(stageName) == nil else {
                throw APIError.conflict("Stage already exists")
            }
            try validate(stage, in: document)
            document.stages.append(stage)
            try ApiQuotas.check(document)
            if stage.autoDeploy == true {
                // A stage created with auto-deploy serves the current definition straight away.
                try Deployer.autoDeploy(stage: stageName, in: &document, now: context.now, transaction: transaction)
            }
            try transaction.putApiDocument(document)
            return document.stage(stageName)!
        }
        return try .json(201, created)
    }

    @Sendable static func getStages(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let query = try context.query()
        let stages = try await context.transaction { transaction in try context.document(transaction, apiId).stages }
        let page = try Pagination.page(
            stages, kind: "stages", key: \.stageName, maxResults: query.first("maxResults"), nextToken: query.first("nextToken"))
        return try .json(200, ListPage(items: page.items, nextToken: page.nextToken))
    }

    @Sendable static func getStage(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let stageName = context.parameter("stageName")
        let stage = try await context.transaction { transaction in
            guard let stage = try context.document(transaction, apiId).stage(stageName) else {
                throw AWSMessages.stageNotFound(stageName)
            }
            return stage
        }
        return try .json(200, stage)
    }

    @Sendable static func updateStage(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let stageName = context.parameter("stageName")
        let body = try context.body()
        var probe = Stage(stageName: stageName)
        try applyMembers(body, to: &probe)

        let updated = try await context.transaction { transaction in
            var document = try context.document(transaction, apiId)
            guard let index = document.stages.firstIndex(where: { $0.stageName == stageName }) else {
                throw AWSMessages.stageNotFound(stageName)
            }
            var stage = document.stages[index]
            let wasAutoDeploy = stage.autoDeploy == true
            try applyMembers(body, to: &stage)
            try refuseDeploymentIdOnAutoDeploy(stage, body: body, apiId: apiId, context: context)
            try validate(stage, in: document)
            stage.lastUpdatedDate = context.now
            document.stages[index] = stage
            if stage.autoDeploy == true && !wasAutoDeploy {
                // Turning auto-deploy on deploys the current definition.
                try Deployer.autoDeploy(stage: stageName, in: &document, now: context.now, transaction: transaction)
            }
            try transaction.putApiDocument(document)
            return document.stages[index]
        }
        return try .json(200, updated)
    }

    @Sendable static func deleteStage(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let stageName = context.parameter("stageName")
        try await context.transaction { transaction in
            var document = try context.document(transaction, apiId)
            guard let index = document.stages.firstIndex(where: { $0.stageName == stageName }) else {
                throw AWSMessages.stageNotFound(stageName)
            }
            if document.stages[index].apiGatewayManaged == true {
                // AWS (Stage.ApiGatewayManaged): "the $default stage is managed by API Gateway. You can't
                // modify the $default stage." Deleting it is refused likewise (wording not recorded).
                throw APIError.badRequest("Cannot delete Stage \(stageName): it is managed by API Gateway (quick create).")
            }
            document.stages.remove(at: index)
            try transaction.putApiDocument(document)
        }
        return .noContent
    }

    @Sendable static func deleteAccessLogSettings(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let stageName = context.parameter("stageName")
        try await context.transaction { transaction in
            var document = try context.document(transaction, apiId)
            guard let index = document.stages.firstIndex(where: { $0.stageName == stageName }) else {
                throw AWSMessages.stageNotFound(stageName)
            }
            document.stages[index].accessLogSettings = nil
            document.stages[index].lastUpdatedDate = context.now
            try transaction.putApiDocument(document)
        }
        return .noContent
    }

    @Sendable static func deleteRouteSettings(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let stageName = context.parameter("stageName")
        let routeKey = context.parameter("routeKey")
        try await context.transaction { transaction in
            var document = try context.document(transaction, apiId)
            guard let index = document.stages.firstIndex(where: { $0.stageName == stageName }) else {
                throw AWSMessages.stageNotFound(stageName)
            }
            guard document.stages[index].routeSettings?[routeKey] != nil else {
                throw APIError.notFound("Unable to find RouteSettings for route key \(routeKey) in stage \(stageName)")
            }
            document.stages[index].routeSettings?.removeValue(forKey: routeKey)
            document.stages[index].lastUpdatedDate = context.now
            try transaction.putApiDocument(document)
        }
        return .noContent
    }

    /// AWS's model: a stage's `deploymentId` "can't be updated if autoDeploy is enabled"; AWS answers
    /// 400 with this message.
    static func refuseDeploymentIdOnAutoDeploy(_ stage: Stage, body: JSONBody, apiId: String, context: OperationContext) throws(APIError) {
        if stage.autoDeploy == true, body.has("deploymentId") {
            throw .badRequest(
                "Deployment ID cannot be set on this stage \(context.configuration.accountId):\(apiId) because AutoDeploy is enabled.")
        }
    }

    /// Reads the members CreateStage and UpdateStage share (all but `stageName` and `tags`).
    static func applyMembers(_ body: JSONBody, to stage: inout Stage) throws(APIError) {
        if let settings = try body.object("accessLogSettings"), settings.members.isEmpty {
            // Terraform turns access logging off by sending an empty object.
            stage.accessLogSettings = nil
        } else if let settings = try body.object("accessLogSettings") {
            let accessLog = AccessLogSettings(
                destinationArn: try settings.string("destinationArn"), format: try settings.string("format"))
            try AccessLogValidation.validate(accessLog)
            stage.accessLogSettings = accessLog
        }
        if let value = try body.bool("autoDeploy") { stage.autoDeploy = value }
        if let value = try body.string("clientCertificateId") { stage.clientCertificateId = value }
        if let settings = try body.object("defaultRouteSettings") {
            stage.defaultRouteSettings = try readRouteSettings(settings, over: stage.defaultRouteSettings)
        }
        if let value = try body.string("deploymentId") { stage.deploymentId = value }
        if let value = try body.string("description", length: 0...1024) { stage.description = value }
        if let entries = try body.objectMap("routeSettings") {
            var merged = stage.routeSettings ?? [:]
            for (routeKey, settings) in entries {
                merged[routeKey] = try readRouteSettings(settings, over: merged[routeKey])
            }
            stage.routeSettings = merged
        }
        if let variables = try body.stringMap("stageVariables") {
            // Merged into the stage's variables; an empty value removes one (what Terraform sends
            // to delete a variable, as AWS accepts).
            try StageValidation.validateVariables(variables.filter { !$0.value.isEmpty })
            var merged = stage.stageVariables ?? [:]
            for (name, value) in variables { merged[name] = value.isEmpty ? nil : value }
            stage.stageVariables = merged
        }
    }

    static func readRouteSettings(_ body: JSONBody, over existing: RouteSettings?) throws(APIError) -> RouteSettings {
        var settings = existing ?? RouteSettings()
        if let value = try body.bool("dataTraceEnabled") { settings.dataTraceEnabled = value }
        if let value = try body.bool("detailedMetricsEnabled") { settings.detailedMetricsEnabled = value }
        if let value = try body.enumeration("loggingLevel", ["ERROR", "INFO", "OFF"]) { settings.loggingLevel = value }
        if let value = try body.integer("throttlingBurstLimit") {
            guard value >= 0 else { throw .badRequest("Invalid value for '\(body.name("throttlingBurstLimit"))': it must not be negative.") }
            settings.throttlingBurstLimit = value
        }
        if let value = try body.double("throttlingRateLimit") {
            guard value >= 0 else { throw .badRequest("Invalid value for '\(body.name("throttlingRateLimit"))': it must not be negative.") }
            settings.throttlingRateLimit = value
        }
        return settings
    }

    /// Checks that need the rest of the API: the deployment exists, route settings name existing routes.
    static func validate(_ stage: Stage, in document: ApiDocument) throws {
        if let deploymentId = stage.deploymentId, document.deployment(deploymentId) == nil {
            throw AWSMessages.deploymentNotFound(deploymentId)
        }
        for routeKey in (stage.routeSettings ?? [:]).keys where !document.routes.contains(where: { $0.routeKey == routeKey }) {
            throw APIError.badRequest("Unable to find Route by key \(routeKey) within the provided RouteSettings")
        }
        if document.api.protocolType != .websocket, let format = stage.accessLogSettings?.format,
            let problem = AccessLogFormat.validate(format, webSocket: false)
        {
            // The WebSocket-only variables (`$context.connectionId`, `eventType`, ...) on an HTTP API stage.
            throw APIError.badRequest(problem)
        }
    }
}
