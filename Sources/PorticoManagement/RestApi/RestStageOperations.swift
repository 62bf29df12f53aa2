import Foundation
import PorticoModel
import PorticoStore

/// CreateStage, GetStages, GetStage, UpdateStage, DeleteStage.
enum RestStageOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/restapis/{restapi_id}/stages", createStage)
        router.add("GET", "/restapis/{restapi_id}/stages", getStages)
        router.add("GET", "/restapis/{restapi_id}/stages/{stage_name}", getStage)
        router.add("PATCH", "/restapis/{restapi_id}/stages/{stage_name}", updateStage)
        router.add("DELETE", "/restapis/{restapi_id}/stages/{stage_name}", deleteStage)
    }

    @Sendable static func createStage(_ context: OperationContext) async throws -> ManagementResponse {
        let body = try context.body()
        let stageName = try body.required("stageName", body.string("stageName"))
        let deploymentId = try body.required("deploymentId", body.string("deploymentId"))
        try RestStageValidation.validateName(stageName)
        var template = RestStage(stageName: stageName, deploymentId: deploymentId, createdDate: context.now)
        template.description = try body.string("description")
        template.documentationVersion = try body.string("documentationVersion")
        if let variables = try body.stringMap("variables") {
            try RestStageValidation.validateVariables(variables)
            template.variables = variables
        }
        let size = try body.string("cacheClusterSize")
        if let size { try RestStageValidation.validateCacheClusterSize(size) }
        RestStageValidation.setCacheCluster(try body.bool("cacheClusterEnabled") ?? false, size: size, on: &template)
        template.tracingEnabled = try body.bool("tracingEnabled") ?? false
        if let canary = try body.object("canarySettings") {
            template.canarySettings = CanarySettings(
                percentTraffic: try canary.double("percentTraffic") ?? 0,
                deploymentId: try canary.string("deploymentId") ?? deploymentId,
                stageVariableOverrides: try canary.stringMap("stageVariableOverrides"),
                useStageCache: try canary.bool("useStageCache") ?? false)
        }
        if let tags = try body.stringMap("tags") { template.tags = try TagValidation.merged([:], with: tags) }
        let stage = template

        let created = try await context.changeRestDocument { document, _ in
            guard document.stage(stageName) == nil else { throw RestMessages.stageExists }
            for id in stage.deploymentIds where document.deployment(id) == nil { throw RestMessages.deploymentNotFound }
            document.stages.append(stage)
            return stage
        }
        return try .restJSON(201, created)
    }

    /// Every stage (AWS does not page this list), optionally only those serving `deploymentId`.
    @Sendable static func getStages(_ context: OperationContext) async throws -> ManagementResponse {
        let deploymentId = try context.query().first("deploymentId")
        let stages = try await context.readRestDocument { document, _ in document.stages }
        let listed = stages.filter { deploymentId == nil || $0.deploymentId == deploymentId }.sorted { $0.stageName < $1.stageName }
        return try .restJSON(200, StageList(item: listed))
    }

    private struct StageList: Encodable {
        var item: [RestStage]
    }

    @Sendable static func getStage(_ context: OperationContext) async throws -> ManagementResponse {
        let stageName = context.parameter("stage_name")
        let stage = try await context.readRestDocument { document, _ in
            guard let stage = document.stage(stageName) else { throw RestMessages.stageNotFound }
            return stage
        }
        return try .restJSON(200, stage)
    }

    @Sendable static func updateStage(_ context: OperationContext) async throws -> ManagementResponse {
        let stageName = context.parameter("stage_name")
        let operations = try PatchOperation.read(try context.body(), input: "updateStageInput")
        let updated = try await context.changeRestDocument { document, _ in
            guard let index = document.stageIndex(stageName) else { throw RestMessages.stageNotFound }
            var stage = document.stages[index]
            for operation in operations {
                try RestStagePatch.apply(operation, to: &stage, in: document)
            }
            stage.lastUpdatedDate = context.now
            document.stages[index] = stage
            return stage
        }
        return try .restJSON(200, updated)
    }

    @Sendable static func deleteStage(_ context: OperationContext) async throws -> ManagementResponse {
        let stageName = context.parameter("stage_name")
        try await context.changeRestDocument { document, _ in
            guard document.stage(stageName) != nil else { throw RestMessages.stageNotFound }
            document.stages.removeAll { $0.stageName == stageName }
        }
        return .accepted
    }
}
