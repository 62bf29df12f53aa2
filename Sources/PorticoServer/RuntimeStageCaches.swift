import PorticoManagement
import PorticoRuntime

/// FlushStageCache and FlushStageAuthorizersCache reach the data plane's caches through the runtime's registry.
struct RuntimeStageCaches: StageCaches {
    let caches: ResponseCaches

    func flushResponseCache(restApiId: String, stageName: String) {
        caches.flushResponses(apiId: restApiId, stage: stageName)
    }

    func flushAuthorizerCache(restApiId: String, stageName: String) {
        caches.flushAuthorizers(apiId: restApiId, stage: stageName)
    }
}
