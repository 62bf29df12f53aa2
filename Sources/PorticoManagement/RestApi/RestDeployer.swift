import Foundation
import PorticoModel
import PorticoStore

/// Making REST API deployments: the checks AWS makes before deploying, the snapshot beside the
/// document, the metadata in it.
enum RestDeployer {
    /// AWS refuses to deploy an API without methods, or with a method that has no integration.
    static func checkDeployable(_ document: RestApiDocument) throws(APIError) {
        let methods = document.allMethods
        guard !methods.isEmpty else { throw RestMessages.noMethods }
        guard methods.allSatisfy({ $0.method.methodIntegration != nil }) else { throw RestMessages.noIntegration }
    }

    /// Snapshots `document` as a new deployment and records it in the document.
    static func createDeployment(
        in document: inout RestApiDocument, description: String?, now: Date, transaction: any StoreTransaction
    ) throws -> RestDeployment {
        try checkDeployable(document)
        var id = Identifier.random(length: Identifier.deploymentLength)
        while document.deployment(id) != nil { id = Identifier.random(length: Identifier.deploymentLength) }
        let deployment = RestDeployment(id: id, description: description, createdDate: now)
        try transaction.putRestDeploymentSnapshot(RestDeploymentSnapshot(deploymentId: id, of: document))
        document.deployments.append(deployment)
        return deployment
    }
}
