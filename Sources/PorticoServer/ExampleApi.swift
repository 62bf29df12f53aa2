import Foundation
import PorticoModel
import PorticoStore

/// The API a fresh Portico starts with, so that the README's first `curl` answers:
/// `GET /health` on API `exampleapi`, proxied to the management API's own health check, with
/// access logs on standard output.
enum ExampleApi {
    static let apiId = "exampleapi"

    static func seedIfEmpty(store: any Store, managementURL: String) async throws -> Bool {
        try await store.transaction { transaction in
            guard try transaction.allApiDocuments().isEmpty else { return false }
            let now = Date()
            var api = Api(apiId: apiId, name: "example", protocolType: .http, createdDate: now)
            api.description = "Created by Portico on first start. GET /health is proxied to the management API's health check."
            var document = ApiDocument(api: api)
            var integration = Integration(integrationId: "health1", integrationType: "HTTP_PROXY")
            integration.integrationMethod = "GET"
            integration.integrationUri = managementURL + "/_portico/health"
            integration.payloadFormatVersion = "1.0"
            integration.connectionType = "INTERNET"
            integration.timeoutInMillis = 30_000
            document.integrations = [integration]
            document.routes = [Route(routeId: "health1", routeKey: "GET /health", target: "integrations/health1")]
            let deploymentId = "exampl"
            var deployment = Deployment(deploymentId: deploymentId, createdDate: now, description: "example", autoDeployed: true)
            deployment.deploymentStatusMessage = nil
            document.deployments = [deployment]
            var stage = Stage(stageName: Stage.defaultStageName, createdDate: now)
            stage.autoDeploy = true
            stage.deploymentId = deploymentId
            stage.accessLogSettings = AccessLogSettings(
                destinationArn: "stdout",
                format: #"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength","integrationLatency":"$context.integrationLatency"}"#)
            document.stages = [stage]
            try transaction.putApiDocument(document)
            try transaction.putDeploymentSnapshot(DeploymentSnapshot(deploymentId: deploymentId, of: document))
            return true
        }
    }
}
