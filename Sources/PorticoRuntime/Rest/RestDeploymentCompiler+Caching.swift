import PorticoModel
import PorticoObservability

/// Response caching of REST stages: the stage's cache (``ResponseCaches``) and each method's policy, from the
/// stage's `methodSettings` and the integration's `cacheNamespace`/`cacheKeyParameters`.
extension RestDeploymentCompiler {
    /// The stage's cache when `cacheClusterEnabled`, sized from `cacheClusterSize`.
    func stageCache(_ restApiId: String, _ stage: RestStage) -> ResponseCache? {
        guard stage.cacheClusterEnabled else { return nil }
        return responseCaches.cache(apiId: restApiId, stage: stage.stageName, clusterSize: stage.cacheClusterSize ?? "0.5")
    }

    /// The method's caching, or nil when it is not cached.
    ///
    /// Settings: the method's own `methodSettings` entry (`items/GET`, the root `//GET`) when it has one, else
    /// the stage's `*/*` entry, which AWS applies to `GET` methods only ("When you enable caching for a stage,
    /// only GET methods have caching enabled by default ... You can enable caching for other methods by
    /// overriding method settings"). `ttlInSeconds` 0 disables; above 3600 is held to 3600.
    ///
    /// Key: AWS builds it from the integration's `cacheNamespace` (the resource id by default) and the values of
    /// its `cacheKeyParameters` only: without `method.request.path.id` in them, `/items/1` and `/items/2` share
    /// one entry, as on AWS. The request's method is part of the key too (Portico's choice: a `POST` answer is
    /// never served to a `GET` of the same namespace).
    func cachePolicy(
        httpMethod: String, resource: RestResource, integration: RestIntegration, stage: RestStage,
        apiId: String, routeKey: String, warnings: inout [String]
    ) -> MethodCachePolicy? {
        guard stage.cacheClusterEnabled else { return nil }
        let ownKey = (resource.path == "/" ? "/" : String(resource.path.dropFirst())) + "/" + httpMethod
        let setting: MethodSetting
        if let own = stage.methodSettings[ownKey] {
            setting = own
        } else if httpMethod == "GET", let stageWide = stage.methodSettings["*/*"] {
            setting = stageWide
        } else {
            return nil
        }
        guard setting.cachingEnabled, setting.cacheTtlInSeconds > 0 else { return nil }
        var parameters: [CacheKeyParameter] = []
        for text in integration.cacheKeyParameters ?? [] {
            if let parameter = CacheKeyParameter(methodRequest: text) {
                parameters.append(parameter)
            } else if let source = integration.requestParameters?[text], let parameter = CacheKeyParameter(methodRequest: source) {
                // `integration.request.querystring.x` names the method request value mapped to it.
                parameters.append(parameter)
            } else {
                warnings.append("\(routeKey): cache key parameter \(text) is not a method request parameter; ignored")
            }
        }
        let (hits, misses) = MethodCachePolicy.counters(metrics, apiId: apiId, stage: stage.stageName, route: routeKey)
        return MethodCachePolicy(
            ttlSeconds: min(setting.cacheTtlInSeconds, MethodCachePolicy.maxTtlSeconds),
            namespace: integration.cacheNamespace ?? resource.id, keyParameters: parameters,
            requireAuthorization: setting.requireAuthorizationForCacheControl,
            unauthorizedStrategy: .init(rawValue: setting.unauthorizedCacheControlHeaderStrategy) ?? .succeedWithResponseHeader,
            hits: hits, misses: misses)
    }
}
