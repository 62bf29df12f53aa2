import Foundation
import PorticoModel
import PorticoStore

/// Deployments: creating one (metadata in the document, snapshot beside it) and the automatic
/// deployments of stages with `autoDeploy` on.
enum Deployer {
    /// Whether two versions of an API differ in anything a deployment captures
    /// (see ``DeploymentSnapshot``): routes, integrations, CORS, the execute-api switch.
    static func deployedContentChanged(from old: ApiDocument, to new: ApiDocument) -> Bool {
        old.routes != new.routes || old.integrations != new.integrations || old.authorizers != new.authorizers
            || old.api.corsConfiguration != new.api.corsConfiguration
            || (old.api.disableExecuteApiEndpoint ?? false) != (new.api.disableExecuteApiEndpoint ?? false)
            || (new.api.protocolType == .websocket && webSocketContentChanged(from: old, to: new))
    }

    /// What a WebSocket API's deployment captures besides routes and integrations.
    static func webSocketContentChanged(from old: ApiDocument, to new: ApiDocument) -> Bool {
        old.routeResponses != new.routeResponses || old.integrationResponses != new.integrationResponses
            || old.api.routeSelectionExpression != new.api.routeSelectionExpression
            || old.api.apiKeySelectionExpression != new.api.apiKeySelectionExpression
    }

    /// Snapshots `document` as a new deployment and records it in the document.
    static func createDeployment(
        in document: inout ApiDocument, description: String?, autoDeployed: Bool, now: Date,
        transaction: any StoreTransaction
    ) throws -> Deployment {
        var deploymentId = Identifier.random(length: Identifier.deploymentLength)
        while document.deployment(deploymentId) != nil {
            deploymentId = Identifier.random(length: Identifier.deploymentLength)
        }
        let deployment = Deployment(deploymentId: deploymentId, createdDate: now, description: description, autoDeployed: autoDeployed)
        try transaction.putDeploymentSnapshot(DeploymentSnapshot(deploymentId: deploymentId, of: document))
        document.deployments.append(deployment)
        return deployment
    }

    /// Gives the named stage a fresh automatic deployment of the current definition.
    static func autoDeploy(stage stageName: String, in document: inout ApiDocument, now: Date, transaction: any StoreTransaction) throws {
        guard let index = document.stages.firstIndex(where: { $0.stageName == stageName }) else { return }
        let deployment = try createDeployment(
            in: &document, description: "Automatic deployment triggered by changes to the Api configuration",
            autoDeployed: true, now: now, transaction: transaction)
        document.stages[index].deploymentId = deployment.deploymentId
        document.stages[index].lastDeploymentStatusMessage = AWSMessages.autoDeploySucceeded(deployment.deploymentId)
        document.stages[index].lastUpdatedDate = now
    }

    /// Writes `new`, first auto-deploying every `autoDeploy` stage when the change touched what a
    /// deployment captures — in the same transaction, as AWS deploys "automatically on change".
    @discardableResult
    static func save(
        _ new: ApiDocument, replacing old: ApiDocument, now: Date, transaction: any StoreTransaction
    ) throws -> ApiDocument {
        var document = new
        if deployedContentChanged(from: old, to: new) {
            for stage in document.stages where stage.autoDeploy == true {
                try autoDeploy(stage: stage.stageName, in: &document, now: now, transaction: transaction)
            }
        }
        try transaction.putApiDocument(document)
        return document
    }
}
