import Foundation
import PorticoModel

/// The stage part of a CreateDeployment request (`stageName`, `stageDescription`, `variables`,
/// cache and tracing switches, `canarySettings`): what Terraform's `aws_api_gateway_deployment`
/// sends to deploy straight onto a stage.
struct DeploymentStageRequest: Sendable {
    var stageName: String
    var stageDescription: String?
    var variables: [String: String]?
    var cacheClusterEnabled: Bool?
    var cacheClusterSize: String?
    var tracingEnabled: Bool?
    var canary: CanarySettings?

    init?(_ body: JSONBody) throws(APIError) {
        guard let stageName = try body.string("stageName") else {
            if body.has("canarySettings") { throw RestMessages.canaryWithoutStage }
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
            guard let index = document.stageIndex(stageName) else { throw RestMessages.canaryStageMissing(stageName) }
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
