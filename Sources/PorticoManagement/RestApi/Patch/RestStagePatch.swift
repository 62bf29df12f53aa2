import PorticoModel

/// UpdateStage's patch paths: stage members, `/variables/{name}`, access-log settings, the canary
/// (`/canarySettings/...`, and `copy` to promote it), and method settings addressed as
/// `/{resourcePath}/{httpMethod}/{group}/{setting}` (`/*/*/throttling/rateLimit`,
/// `/~1items/GET/logging/loglevel`). Anything else is AWS's "Invalid method setting path".
enum RestStagePatch {
    static func apply(_ operation: PatchOperation, to stage: inout RestStage, in document: RestApiDocument) throws(APIError) {
        let segments = operation.segments
        switch (segments.first, segments.count) {
        case ("deploymentId", 1):
            if operation.op == .copy {
                // Promotion: the stage takes over its canary's deployment.
                guard operation.from == "/canarySettings/deploymentId" else { throw invalidCopy }
                guard let canaryDeployment = stage.canarySettings?.deploymentId else { throw RestMessages.canaryMissing }
                stage.deploymentId = canaryDeployment
                return
            }
            try operation.requireReplace()
            let id = try operation.requiredValue()
            guard document.deployment(id) != nil else { throw RestMessages.deploymentIdDoesNotExist }
            stage.deploymentId = id
        case ("description", 1):
            try operation.requireReplace()
            stage.description = operation.value.flatMap { $0.isEmpty ? nil : $0 }
        case ("cacheClusterEnabled", 1):
            try operation.requireReplace()
            RestStageValidation.setCacheCluster(try operation.boolValue(), size: nil, on: &stage)
        case ("cacheClusterSize", 1):
            try operation.requireReplace()
            let size = try operation.requiredValue()
            try RestStageValidation.validateCacheClusterSize(size)
            stage.cacheClusterSize = size
        case ("clientCertificateId", 1):
            try operation.requireReplace()
            stage.clientCertificateId = operation.value.flatMap { $0.isEmpty ? nil : $0 }
        case ("documentationVersion", 1):
            try operation.requireReplace()
            stage.documentationVersion = operation.value.flatMap { $0.isEmpty ? nil : $0 }
        case ("tracingEnabled", 1):
            try operation.requireReplace()
            stage.tracingEnabled = try operation.boolValue()
        case ("accessLogSettings", 1):
            // Removing the whole settings object turns access logging off.
            guard operation.op == .remove else { throw operation.invalidPath }
            stage.accessLogSettings = nil
        case ("accessLogSettings", 2) where ["destinationArn", "format"].contains(segments[1]):
            var settings = stage.accessLogSettings ?? AccessLogSettings()
            let value = operation.op == .remove ? nil : try operation.requiredValue()
            if segments[1] == "format" { settings.format = value } else { settings.destinationArn = value }
            stage.accessLogSettings = settings.destinationArn == nil && settings.format == nil ? nil : settings
        case ("variables", 1) where operation.op == .copy:
            // Promotion of the canary's overrides into the stage's variables.
            guard operation.from == "/canarySettings/stageVariableOverrides" else { throw invalidCopy }
            guard let canary = stage.canarySettings else { throw RestMessages.canaryMissing }
            stage.variables = (stage.variables ?? [:]).merging(canary.stageVariableOverrides ?? [:]) { $1 }
        case ("variables", 2):
            if operation.op != .remove { try RestStageValidation.validateVariables([segments[1]: try operation.requiredValue()]) }
            try PatchMap.apply(operation, key: segments[1], to: &stage.variables)
            if stage.variables?.isEmpty == true { stage.variables = nil }
        case ("canarySettings", _):
            try applyCanary(operation, segments: Array(segments.dropFirst()), to: &stage, in: document)
        default:
            try applyMethodSetting(operation, segments: segments, to: &stage)
        }
    }

    static let invalidCopy = APIError.badRequest(
        "Invalid copy operation with path: /canarySettings/stageVariableOverrides and from /variables. Valid copy:path are [/deploymentId, /variables] and valid copy:from are [/canarySettings/deploymentId, /canarySettings/stageVariableOverrides]"
    )

    /// `/canarySettings/...`, with AWS's recorded answers (LocalStack's
    /// `test_apigateway_canary.snapshot.json`): `add` on a scalar is "Invalid add operation", removing
    /// what is not there is "Cannot remove method setting ...", and an unknown path is the stage's
    /// "Invalid method setting path". Setting a member of a stage without canary creates one on
    /// the stage's own deployment with no traffic.
    private static func applyCanary(
        _ operation: PatchOperation, segments: [String], to stage: inout RestStage, in document: RestApiDocument
    ) throws(APIError) {
        if segments.isEmpty {
            guard operation.op == .remove else { throw invalidMethodSettingPath(operation) }
            stage.canarySettings = nil
            return
        }
        var canary = stage.canarySettings ?? CanarySettings(percentTraffic: 0, deploymentId: stage.deploymentId, useStageCache: false)
        switch (segments[0], segments.count, operation.op) {
        case ("stageVariableOverrides", 2, .remove):
            guard canary.stageVariableOverrides?.removeValue(forKey: segments[1]) != nil else { throw cannotRemove(operation) }
        case ("stageVariableOverrides", 2, _):
            try PatchMap.apply(operation, key: segments[1], to: &canary.stageVariableOverrides)
        case (_, _, .remove):
            throw cannotRemove(operation)
        case ("percentTraffic", 1, .replace):
            let percent = try operation.doubleValue()
            guard (0...100).contains(percent) else {
                throw .badRequest("Canary traffic percentage must be between 0.0 and 100.0")
            }
            canary.percentTraffic = percent
        case ("deploymentId", 1, .replace):
            let id = try operation.requiredValue()
            guard document.deployment(id) != nil else { throw RestMessages.deploymentIdDoesNotExist }
            canary.deploymentId = id
        case ("useStageCache", 1, .replace):
            canary.useStageCache = try operation.boolValue()
        case ("percentTraffic", 1, _), ("deploymentId", 1, _), ("useStageCache", 1, _):
            throw .badRequest("Invalid \(operation.op.rawValue) operation with path: \(operation.path ?? "null")")
        default:
            throw invalidMethodSettingPath(operation)
        }
        if canary.stageVariableOverrides?.isEmpty == true { canary.stageVariableOverrides = nil }
        stage.canarySettings = canary
    }

    /// AWS's answer to removing a setting that is not there; the trailing space is AWS's.
    static func cannotRemove(_ operation: PatchOperation) -> APIError {
        let setting = (operation.path ?? "").drop { $0 == "/" }
        return .badRequest("Cannot remove method setting \(setting) because there is no method setting for this method ")
    }
}
