import Foundation
import PorticoModel
import PorticoStore

/// CreateDeployment, GetDeployments, GetDeployment, UpdateDeployment, DeleteDeployment.
enum DeploymentOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/v2/apis/{apiId}/deployments", createDeployment)
        router.add("GET", "/v2/apis/{apiId}/deployments", getDeployments)
        router.add("GET", "/v2/apis/{apiId}/deployments/{deploymentId}", getDeployment)
        router.add("PATCH", "/v2/apis/{apiId}/deployments/{deploymentId}", updateDeployment)
        router.add("DELETE", "/v2/apis/{apiId}/deployments/{deploymentId}", deleteDeployment)
    }

    @Sendable static func createDeployment(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let body = try context.body()
        let description = try body.string("description", length: 0...1024)
        let stageName = try body.string("stageName", length: 1...128)

        let created = try await context.transaction { transaction in
            var document = try context.document(transaction, apiId)
            var stageIndex: Int?
            if let stageName {
                guard let index = document.stages.firstIndex(where: { $0.stageName == stageName }) else {
                    throw AWSMessages.stageNotFound(stageName)
                }
                stageIndex = index
            }
            // AWS refuses to deploy an API without routes; routes without a target deploy (they
            // answer 404 at run time).
            guard !document.routes.isEmpty else {
                throw APIError.badRequest("Unable to deploy API because no routes exist in this API")
            }
            let deployment = try Deployer.createDeployment(
                in: &document, description: description, autoDeployed: false, now: context.now, transaction: transaction)
            if let stageIndex {
                document.stages[stageIndex].deploymentId = deployment.deploymentId
                document.stages[stageIndex].lastUpdatedDate = context.now
            }
            try transaction.putApiDocument(document)
            return deployment
        }
        return try .json(201, created)
    }

    @Sendable static func getDeployments(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let query = try context.query()
        let deployments = try await context.transaction { transaction in try context.document(transaction, apiId).deployments }
        let page = try Pagination.page(
            deployments, kind: "deployments", key: \.deploymentId, maxResults: query.first("maxResults"),
            nextToken: query.first("nextToken"))
        return try .json(200, ListPage(items: page.items, nextToken: page.nextToken))
    }

    @Sendable static func getDeployment(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let deploymentId = context.parameter("deploymentId")
        let deployment = try await context.transaction { transaction in
            guard let deployment = try context.document(transaction, apiId).deployment(deploymentId) else {
                throw AWSMessages.deploymentNotFound(deploymentId)
            }
            return deployment
        }
        return try .json(200, deployment)
    }

    @Sendable static func updateDeployment(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let deploymentId = context.parameter("deploymentId")
        let body = try context.body()
        let description = try body.string("description", length: 0...1024)
        let updated = try await context.transaction { transaction in
            var document = try context.document(transaction, apiId)
            guard let index = document.deployments.firstIndex(where: { $0.deploymentId == deploymentId }) else {
                throw AWSMessages.deploymentNotFound(deploymentId)
            }
            if let description { document.deployments[index].description = description }
            try transaction.putApiDocument(document)
            return document.deployments[index]
        }
        return try .json(200, updated)
    }

    @Sendable static func deleteDeployment(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let deploymentId = context.parameter("deploymentId")
        try await context.transaction { transaction in
            var document = try context.document(transaction, apiId)
            guard let index = document.deployments.firstIndex(where: { $0.deploymentId == deploymentId }) else {
                throw AWSMessages.deploymentNotFound(deploymentId)
            }
            // AWS refuses to delete a deployment a stage still serves, with this wording.
            if document.stages.contains(where: { $0.deploymentId == deploymentId }) {
                throw APIError.badRequest("Active stages pointing to this deployment must be moved or deleted.")
            }
            document.deployments.remove(at: index)
            try transaction.deleteDeploymentSnapshot(apiId: apiId, deploymentId: deploymentId)
            try transaction.putApiDocument(document)
        }
        return .noContent
    }
}
