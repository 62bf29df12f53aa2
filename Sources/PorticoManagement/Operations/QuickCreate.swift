import Foundation
import PorticoModel
import PorticoStore

/// Quick create: `CreateApi` with a `target` makes an integration (HTTP_PROXY for a URL, payload
/// 1.0; AWS_PROXY for a Lambda function ARN, payload 2.0), a route (`$default` unless `routeKey`
/// is given) and a `$default` stage with auto-deploy, all marked `apiGatewayManaged`.
struct QuickCreate: Sendable {
    var target: String
    var routeKey: String
    var credentialsArn: String?

    static func read(_ body: JSONBody) throws(APIError) -> QuickCreate? {
        let target = try body.string("target", length: 1...2048)
        let routeKey = try body.string("routeKey")
        let credentialsArn = try body.string("credentialsArn")
        guard let target else {
            if routeKey != nil || credentialsArn != nil {
                throw .badRequest("routeKey and credentialsArn are part of quick create and require target.")
            }
            return nil
        }
        let key = routeKey ?? "$default"
        _ = try RouteKey(parsing: key)
        _ = try integration(for: target, id: "probe")
        return QuickCreate(target: target, routeKey: key, credentialsArn: credentialsArn)
    }

    /// The managed integration for a quick-create target.
    static func integration(for target: String, id: String) throws(APIError) -> Integration {
        var integration: Integration
        if IntegrationValidation.isLambdaTarget(target) {
            integration = Integration(integrationId: id, integrationType: "AWS_PROXY")
            integration.integrationMethod = "POST"
            integration.payloadFormatVersion = "2.0"
        } else if IntegrationValidation.isAbsoluteHTTPURL(target) {
            integration = Integration(integrationId: id, integrationType: "HTTP_PROXY")
            integration.integrationMethod = "ANY"
            integration.payloadFormatVersion = "1.0"
        } else {
            throw .badRequest("Invalid target '\(target)': specify a fully qualified http(s) URL or a Lambda function ARN.")
        }
        integration.integrationUri = target
        integration.connectionType = "INTERNET"
        integration.timeoutInMillis = Integration.defaultTimeoutMillis
        integration.apiGatewayManaged = true
        return integration
    }

    func apply(to document: inout ApiDocument, now: Date, transaction: any StoreTransaction) throws {
        var integration = try Self.integration(for: target, id: Identifier.random(length: Identifier.integrationLength))
        integration.credentialsArn = credentialsArn
        document.integrations.append(integration)
        var route = Route(
            routeId: Identifier.random(length: Identifier.routeLength), routeKey: routeKey,
            target: "integrations/\(integration.integrationId)")
        route.apiGatewayManaged = true
        document.routes.append(route)
        var stage = Stage(stageName: Stage.defaultStageName, createdDate: now)
        stage.autoDeploy = true
        stage.apiGatewayManaged = true
        document.stages.append(stage)
        try Deployer.autoDeploy(stage: Stage.defaultStageName, in: &document, now: now, transaction: transaction)
    }

    /// Quick update (`UpdateApi` with `target`/`routeKey`/`credentialsArn`): only for an API made by quick create.
    static func update(_ document: inout ApiDocument, target: String?, routeKey: String?, credentialsArn: String?) throws {
        guard let integrationIndex = document.integrations.firstIndex(where: { $0.apiGatewayManaged == true }) else {
            // AWS: target and routeKey update "a quick-created" API only.
            throw APIError.badRequest("Quick update is available only for APIs created with quick create (target).")
        }
        if let target {
            let existing = document.integrations[integrationIndex]
            var replacement = try integration(for: target, id: existing.integrationId)
            replacement.credentialsArn = existing.credentialsArn
            replacement.requestParameters = existing.requestParameters
            replacement.responseParameters = existing.responseParameters
            replacement.description = existing.description
            // AWS: the target update "updates the integration URI and integration type", nothing else.
            replacement.timeoutInMillis = existing.timeoutInMillis
            replacement.tlsConfig = existing.tlsConfig
            if replacement.integrationType == existing.integrationType {
                replacement.payloadFormatVersion = existing.payloadFormatVersion
            }
            document.integrations[integrationIndex] = replacement
        }
        if let credentialsArn {
            document.integrations[integrationIndex].credentialsArn = credentialsArn
        }
        if let routeKey {
            let managedTarget = "integrations/\(document.integrations[integrationIndex].integrationId)"
            guard let routeIndex = document.routes.firstIndex(where: { $0.apiGatewayManaged == true && $0.target == managedTarget })
            else { return }
            if document.routes.contains(where: { $0.routeKey == routeKey && $0.routeId != document.routes[routeIndex].routeId }) {
                throw RouteOperations.duplicateRouteKey(routeKey)
            }
            document.routes[routeIndex].routeKey = routeKey
        }
    }
}
