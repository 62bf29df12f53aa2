import Foundation
import PorticoModel
import PorticoStore

/// CreateDeployment (optionally creating or updating a stage, or its canary), GetDeployments,
/// GetDeployment, UpdateDeployment, DeleteDeployment.
enum RestDeploymentOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/restapis/{restapi_id}/deployments", createDeployment)
        router.add("GET", "/restapis/{restapi_id}/deployments", getDeployments)
        router.add("GET", "/restapis/{restapi_id}/deployments/{deployment_id}", getDeployment)
        router.add("PATCH", "/restapis/{restapi_id}/deployments/{deployment_id}", updateDeployment)
        router.add("DELETE", "/restapis/{restapi_id}/deployments/{deployment_id}", deleteDeployment)
    }

    /// The stage part of a CreateDeployment request.
    struct StageRequest: Sendable {
        var stageName: String
        var stageDescription: String?
        var variables: [String: String]?
        var cacheClusterEnabled: Bool?
        var cacheClusterSize: String?
        var tracingEnabled: Bool?
        var canary: CanarySettings?

        init?(_ body: JSONBody) throws(APIError) {
            guard let stageName = try body.string("stageName") else {
                if body.has("canarySettings") { throw .badRequest("A stage name is required to deploy a canary") }
                return nil
            }
            try RestStageValidation.validateName(stageName)
            self.stageName = stageName
            stageDescription = try body.string("stageDescription")
            variables = try body.stringMap("variables")
            if let variables { try RestStageValidation.validateVariables(variables) }
            cacheClusterEnabled = try body.bool("cacheClusterEnabled")
            cacheClusterSize = try body.string("cacheClusterSize")
            if let cacheClusterSize { try RestStageValidation.validateCacheClusterSize(cacheClusterSize) }
            tracingEnabled = try body.bool("tracingEnabled")
            if let canary = try body.object("canarySettings") {
                self.canary = CanarySettings(
                    percentTraffic: try canary.double("percentTraffic") ?? 0,
                    stageVariableOverrides: try canary.stringMap("stageVariableOverrides"),
                    useStageCache: try canary.bool("useStageCache") ?? false)
            }
        }

        /// Points the stage at `deploymentId` (creating it when missing), or, with canary
        /// settings, gives the existing stage a canary on the new deployment while it keeps
        /// serving its own (AWS's canary release).
        func apply(deploymentId: String, to document: inout RestApiDocument, now: Date) throws(APIError) {
            if var canary {
                guard let index = document.stageIndex(stageName) else { throw RestMessages.stageNotFound }
                canary.deploymentId = deploymentId
                document.stages[index].canarySettings = canary
                document.stages[index].lastUpdatedDate = now
                return
            }
            var stage = document.stage(stageName) ?? RestStage(stageName: stageName, deploymentId: nil, createdDate: now)
            if document.stage(stageName) == nil { stage.description = stageDescription }
            stage.deploymentId = deploymentId
            if let variables {
                stage.variables = (stage.variables ?? [:]).merging(variables) { $1 }
            }
            if cacheClusterEnabled != nil || cacheClusterSize != nil {
                RestStageValidation.setCacheCluster(cacheClusterEnabled ?? stage.cacheClusterEnabled, size: cacheClusterSize, on: &stage)
            }
            if let tracingEnabled { stage.tracingEnabled = tracingEnabled }
            stage.lastUpdatedDate = now
            if let index = document.stageIndex(stageName) {
                document.stages[index] = stage
            } else {
                document.stages.append(stage)
            }
        }
    }

    @Sendable static func createDeployment(_ context: OperationContext) async throws -> ManagementResponse {
        let body = try context.body()
        let description = try body.string("description")
        let stageRequest = try StageRequest(body)
        let created = try await context.changeRestDocument { document, transaction in
            let deployment = try RestDeployer.createDeployment(
                in: &document, description: description, now: context.now, transaction: transaction)
            try stageRequest?.apply(deploymentId: deployment.id, to: &document, now: context.now)
            return deployment
        }
        return try .restJSON(201, created)
    }

    @Sendable static func getDeployments(_ context: OperationContext) async throws -> ManagementResponse {
        let deployments = try await context.readRestDocument { document, _ in document.deployments }
        return try .restJSON(200, RestListPage(try context.restPage(deployments, kind: "deployments", key: \.id)))
    }

    @Sendable static func getDeployment(_ context: OperationContext) async throws -> ManagementResponse {
        let deploymentId = context.parameter("deployment_id")
        let withSummary = try context.query().all("embed").flatMap { $0.split(separator: ",") }.contains("apisummary")
        let deployment = try await context.readRestDocument { document, transaction in
            guard var deployment = document.deployment(deploymentId) else { throw RestMessages.deploymentNotFound }
            if withSummary {
                deployment.apiSummary = try transaction.restDeploymentSnapshot(restApiId: document.id, deploymentId: deploymentId)?.apiSummary
            }
            return deployment
        }
        return try .restJSON(200, deployment)
    }

    @Sendable static func updateDeployment(_ context: OperationContext) async throws -> ManagementResponse {
        let deploymentId = context.parameter("deployment_id")
        let operations = try PatchOperation.read(try context.body(), input: "updateDeploymentInput")
        let updated = try await context.changeRestDocument { document, _ in
            guard let index = document.deployments.firstIndex(where: { $0.id == deploymentId }) else {
                throw RestMessages.deploymentNotFound
            }
            for operation in operations {
                _ = try operation.replacedPath(oneOf: ["/description"])
                document.deployments[index].description = operation.value.flatMap { $0.isEmpty ? nil : $0 }
            }
            return document.deployments[index]
        }
        return try .restJSON(200, updated)
    }

    @Sendable static func deleteDeployment(_ context: OperationContext) async throws -> ManagementResponse {
        let deploymentId = context.parameter("deployment_id")
        try await context.changeRestDocument { document, transaction in
            guard document.deployment(deploymentId) != nil else { throw RestMessages.deploymentNotFound }
            // AWS refuses while a stage, or a stage's canary, serves the deployment.
            guard !document.stages.contains(where: { $0.deploymentIds.contains(deploymentId) }) else {
                throw RestMessages.deploymentInUse
            }
            document.deployments.removeAll { $0.id == deploymentId }
            try transaction.deleteRestDeploymentSnapshot(restApiId: document.id, deploymentId: deploymentId)
        }
        return .accepted
    }
}
