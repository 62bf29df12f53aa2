import PorticoModel

/// The data plane's stage caches as the management API needs them (FlushStageCache, FlushStageAuthorizersCache).
/// Implemented by the server (PorticoServer) over the runtime's cache registry; absent in tests of the management
/// API alone, where flushing has nothing to empty.
public protocol StageCaches: Sendable {
    func flushResponseCache(restApiId: String, stageName: String)
    func flushAuthorizerCache(restApiId: String, stageName: String)
}

/// FlushStageCache (`aws apigateway flush-stage-cache`) and FlushStageAuthorizersCache
/// (`flush-stage-authorizers-cache`): both answer 202 with no body (the botocore model's `responseCode`), after
/// checking that the API and stage exist. The flush is immediate (AWS's takes "a couple of minutes").
enum RestStageCacheOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("DELETE", "/restapis/{restapi_id}/stages/{stage_name}/cache/data", flushStageCache)
        router.add("DELETE", "/restapis/{restapi_id}/stages/{stage_name}/cache/authorizers", flushStageAuthorizersCache)
    }

    @Sendable static func flushStageCache(_ context: OperationContext) async throws -> ManagementResponse {
        let stageName = try await existingStage(context)
        context.stageCaches?.flushResponseCache(restApiId: context.parameter("restapi_id"), stageName: stageName)
        return .accepted
    }

    @Sendable static func flushStageAuthorizersCache(_ context: OperationContext) async throws -> ManagementResponse {
        let stageName = try await existingStage(context)
        context.stageCaches?.flushAuthorizerCache(restApiId: context.parameter("restapi_id"), stageName: stageName)
        return .accepted
    }

    private static func existingStage(_ context: OperationContext) async throws -> String {
        let stageName = context.parameter("stage_name")
        try await context.readRestDocument { document, _ in
            guard document.stage(stageName) != nil else { throw RestMessages.stageNotFound }
        }
        return stageName
    }
}
