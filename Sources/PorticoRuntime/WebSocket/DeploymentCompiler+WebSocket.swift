import PorticoModel
import PorticoSchema
import PorticoTemplates

/// WebSocket APIs: a deployment becomes a ``RuntimeStage`` with no HTTP routes and a
/// ``WebSocketRuntimeStage``. Problems become warnings and unusable integrations, as for HTTP APIs.
extension DeploymentCompiler {
    func compileWebSocketStage(
        _ stage: Stage, snapshot: DeploymentSnapshot, liveBuckets: inout Set<ThrottleBuckets.Key>, warnings: inout [String]
    ) -> RuntimeStage {
        let variables = stage.stageVariables ?? [:]
        let selection: CompiledSelectionExpression
        do {
            selection = CompiledSelectionExpression(try SelectionExpression(parsing: snapshot.routeSelectionExpression ?? ""))
        } catch {
            warnings.append("stage \(stage.stageName): route selection expression does not parse (\(error.reason)); every message goes to $default")
            selection = CompiledSelectionExpression(parts: [])
        }
        var integrations: [String: WebSocketRuntimeIntegration] = [:]
        var routes: [String: WebSocketRuntimeRoute] = [:]
        var authorizers: [String: HttpRuntimeAuthorizer] = [:]
        // Models compile once per deployment; `$ref`s name models of this API as REST's do.
        let models = ModelSchemas(
            models: (snapshot.models ?? []).map {
                RestModel(id: $0.modelId, name: $0.name, schema: $0.schema, contentType: $0.contentType ?? "application/json")
            }, restApiId: snapshot.apiId)
        for (name, error) in models.errors.sorted(by: { $0.key < $1.key }) {
            warnings.append("model \(name): the schema does not compile (\(error.reason)); routes that select it refuse every message")
        }
        for route in snapshot.routes {
            var integration: WebSocketRuntimeIntegration?
            if let id = route.targetIntegrationId {
                if let compiled = integrations[id] {
                    integration = compiled
                } else if let definition = snapshot.integrations.first(where: { $0.integrationId == id }) {
                    let compiled = compileWebSocketIntegration(
                        definition, responses: snapshot.integrationResponses?[id] ?? [], variables: variables, warnings: &warnings)
                    integrations[id] = compiled
                    integration = compiled
                }
            }
            let twoWay = !(snapshot.routeResponses?[route.routeId] ?? []).isEmpty
            var unenforced: String?
            // `AWS_IAM` and Lambda (`CUSTOM`) authorizers are enforced on `$connect`, the one route AWS
            // authorizes; anything else (an authorizer that is missing or cannot run) fails closed.
            let isConnect = route.routeKey == "$connect"
            let iam = route.authorizationType == "AWS_IAM" && isConnect
            var authorizer: HttpRuntimeAuthorizer?
            if route.authorizationType == "CUSTOM", isConnect, let id = route.authorizerId,
                let definition = snapshot.authorizers?.first(where: { $0.authorizerId == id && $0.authorizerType == "REQUEST" })
            {
                if let compiled = authorizers[id] {
                    authorizer = compiled
                } else {
                    let compiled = HttpRuntimeAuthorizer(definition, variables: variables, warnings: &warnings, webSocket: true)
                    authorizers[id] = compiled
                    authorizer = compiled
                }
                if authorizer?.target == nil { authorizer = nil }
            }
            if let type = route.authorizationType, type != "NONE", !iam, authorizer == nil {
                unenforced = "authorizationType \(type)"
            }
            if let unenforced {
                warnings.append("stage \(stage.stageName): route \(route.routeKey) has \(unenforced), which Portico does not enforce on WebSocket APIs yet; it refuses every request")
            }
            routes[route.routeKey] = WebSocketRuntimeRoute(
                routeKey: route.routeKey, routeId: route.routeId, integration: integration, twoWay: twoWay,
                metrics: metrics.routeMetrics(apiId: snapshot.apiId, stage: stage.stageName, route: route.routeKey),
                unenforcedAccessControl: unenforced, requiresIam: iam, authorizer: authorizer, apiKeyRequired: route.apiKeyRequired == true,
                throttle: routeThrottle(route.routeKey, stage: stage, apiId: snapshot.apiId, liveBuckets: &liveBuckets),
                requestValidation: WebSocketRequestValidation(route: route, models: models),
                requiredParameters: WebSocketRequiredParameter.required(by: route))
        }
        let settings = stage.accessLogSettings
        let accessLog = accessLogs.accessLog(
            destinationArn: settings?.destinationArn, format: settings?.format, stage: stage.stageName, warnings: &warnings)
        return RuntimeStage(
            name: stage.stageName, apiId: snapshot.apiId, deploymentId: snapshot.deploymentId, stageVariables: variables,
            router: Router(routes: []), cors: nil, accessLog: accessLog,
            webSocket: WebSocketRuntimeStage(
                routeSelection: selection, routes: routes,
                apiKeyFromAuthorizer: snapshot.apiKeySelectionExpression == "$context.authorizer.usageIdentifierKey",
                metrics: metrics.webSocketMetrics(apiId: snapshot.apiId, stage: stage.stageName)))
    }

    func compileWebSocketIntegration(
        _ integration: Integration, responses: [WebSocketIntegrationResponse], variables: [String: String], warnings: inout [String]
    ) -> WebSocketRuntimeIntegration {
        var kind: WebSocketRuntimeIntegration.Kind
        switch integration.integrationType {
        case "MOCK":
            kind = .mock
        case "AWS_PROXY", "AWS":
            do {
                let target = try LambdaTarget(uri: Self.substituteStageVariables(integration.integrationUri ?? "", variables))
                kind = integration.integrationType == "AWS" ? .lambda(target) : .lambdaProxy(target)
            } catch {
                kind = .unusable(reason: "integration \(integration.integrationId): \(error.message)")
            }
        case "HTTP_PROXY", "HTTP":
            do {
                let target = try HTTPTarget(uri: Self.substituteStageVariables(integration.integrationUri ?? "", variables))
                let method = (integration.integrationMethod ?? "POST").uppercased()
                // `ANY` has no request method to copy on a WebSocket message; POST carries the body.
                kind = .http(target, method: method == "ANY" ? "POST" : method)
            } catch {
                kind = .unusable(reason: "integration \(integration.integrationId): \(error.message)")
            }
        default:
            kind = .unusable(reason: "integration \(integration.integrationId): type \(integration.integrationType) is not supported on WebSocket APIs yet")
        }
        var requestTemplates: [String: MappingTemplate] = [:]
        for (key, source) in integration.requestTemplates ?? [:] {
            do {
                requestTemplates[key] = try MappingTemplate(source: source)
            } catch {
                kind = .unusable(reason: "integration \(integration.integrationId): request template \(key) does not parse: \(error)")
            }
        }
        var compiledResponses: [WebSocketRuntimeIntegration.Response] = []
        for response in responses {
            var templates: [String: MappingTemplate] = [:]
            for (key, source) in response.responseTemplates ?? [:] {
                do {
                    templates[key] = try MappingTemplate(source: source)
                } catch {
                    warnings.append("integration response \(response.integrationResponseId): template \(key) does not parse; skipped")
                }
            }
            let pattern = StatusPattern(key: response.integrationResponseKey)
            if pattern == nil, response.integrationResponseKey != "$default" {
                warnings.append("integration response \(response.integrationResponseId): key \(response.integrationResponseKey) is not a /regex/; skipped")
                continue
            }
            compiledResponses.append(
                .init(
                    pattern: pattern, templateSelection: Self.compileSelection(response.templateSelectionExpression, integrationResponse: true),
                    templates: templates,
                    contentHandling: response.contentHandlingStrategy))
        }
        var compiled = WebSocketRuntimeIntegration(
            integrationId: integration.integrationId, kind: kind,
            timeoutMillis: integration.timeoutInMillis ?? 29_000,
            templateSelection: Self.compileSelection(integration.templateSelectionExpression),
            requestTemplates: requestTemplates, responses: compiledResponses)
        compiled.templated = ["HTTP", "MOCK", "AWS"].contains(integration.integrationType)
        compiled.passthroughBehavior =
            RequestTemplateSelector.PassthroughBehavior(rawValue: integration.passthroughBehavior ?? "") ?? .whenNoMatch
        compiled.contentHandling = integration.contentHandlingStrategy
        for (key, expression) in (integration.requestParameters ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let mapping = WebSocketParameterMapping(key: key, expression: expression) else {
                warnings.append("integration \(integration.integrationId): request parameter \(key) = \(expression) is not a WebSocket mapping; skipped")
                continue
            }
            compiled.requestParameters.append(mapping)
        }
        return compiled
    }

    static func compileSelection(_ text: String?, integrationResponse: Bool = false) -> CompiledSelectionExpression? {
        guard let text, let expression = try? SelectionExpression(parsing: text, integrationResponse: integrationResponse) else { return nil }
        return CompiledSelectionExpression(expression)
    }
}
