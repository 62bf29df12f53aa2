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

    @Sendable static func createDeployment(_ context: OperationContext) async throws -> ManagementResponse {
        let body = try context.body()
        let description = try body.string("description")
        let stageRequest = try DeploymentStageRequest(body)
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
