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

    private static func applyCanary(
        _ operation: PatchOperation, segments: [String], to stage: inout RestStage, in document: RestApiDocument
    ) throws(APIError) {
        if segments.isEmpty {
            guard operation.op == .remove else { throw operation.invalidPath }
            stage.canarySettings = nil
            return
        }
        // A canary set up by patch starts on the stage's own deployment, with no traffic.
        var canary = stage.canarySettings ?? CanarySettings(percentTraffic: 0, deploymentId: stage.deploymentId, useStageCache: false)
        switch (segments[0], segments.count) {
        case ("percentTraffic", 1):
            try operation.requireReplace()
            let percent = try operation.doubleValue()
            guard (0...100).contains(percent) else {
                throw .badRequest("Canary traffic percentage must be between 0.0 and 100.0")
            }
            canary.percentTraffic = percent
        case ("deploymentId", 1):
            try operation.requireReplace()
            let id = try operation.requiredValue()
            guard document.deployment(id) != nil else { throw RestMessages.deploymentIdDoesNotExist }
            canary.deploymentId = id
        case ("useStageCache", 1):
            try operation.requireReplace()
            canary.useStageCache = try operation.boolValue()
        case ("stageVariableOverrides", 2):
            try PatchMap.apply(operation, key: segments[1], to: &canary.stageVariableOverrides)
        default:
            throw operation.invalidPath
        }
        stage.canarySettings = canary
    }

    /// `/{resourcePath}/{httpMethod}/{group}/{setting}`. The resource path may come escaped
    /// (`/~1items/GET/...`, AWS's documented form) or not (`/items/GET/...`, what Terraform's
    /// `method_path` produces); both name the key `items/GET`. `remove` of
    /// `/{resourcePath}/{httpMethod}` deletes the whole entry.
    private static func applyMethodSetting(
        _ operation: PatchOperation, segments: [String], to stage: inout RestStage
    ) throws(APIError) {
        if operation.op == .remove, segments.count >= 2, let key = methodSettingKey(Array(segments)) {
            // Removing settings that are not there is a no-op (Terraform removes on destroy
            // whatever it believes it set).
            stage.methodSettings.removeValue(forKey: key)
            return
        }
        guard segments.count >= 4, operation.op == .replace || operation.op == .add,
            let key = methodSettingKey(Array(segments.dropLast(2)))
        else {
            throw invalidMethodSettingPath(operation)
        }
        var setting = stage.methodSettings[key] ?? MethodSetting()
        switch (segments[segments.count - 2], segments[segments.count - 1]) {
        case ("metrics", "enabled"): setting.metricsEnabled = try operation.boolValue()
        case ("logging", "dataTrace"): setting.dataTraceEnabled = try operation.boolValue()
        case ("logging", "loglevel"):
            let level = try operation.requiredValue()
            guard MethodSetting.loggingLevels.contains(level) else {
                throw .badRequest("Invalid logging level specified. Valid options are \(MethodSetting.loggingLevels.joined(separator: ","))")
            }
            setting.loggingLevel = level
        case ("throttling", "burstLimit"): setting.throttlingBurstLimit = try operation.integerValue()
        case ("throttling", "rateLimit"): setting.throttlingRateLimit = try operation.doubleValue()
        case ("caching", "enabled"): setting.cachingEnabled = try operation.boolValue()
        case ("caching", "ttlInSeconds"): setting.cacheTtlInSeconds = try operation.integerValue()
        case ("caching", "dataEncrypted"): setting.cacheDataEncrypted = try operation.boolValue()
        case ("caching", "requireAuthorizationForCacheControl"): setting.requireAuthorizationForCacheControl = try operation.boolValue()
        case ("caching", "unauthorizedCacheControlHeaderStrategy"):
            let strategy = try operation.requiredValue()
            guard MethodSetting.cacheControlStrategies.contains(strategy) else { throw invalidMethodSettingPath(operation) }
            setting.unauthorizedCacheControlHeaderStrategy = strategy
        default:
            throw invalidMethodSettingPath(operation)
        }
        stage.methodSettings[key] = setting
    }

    /// `["*", "*"]` → `*/*`; `["/items", "GET"]` or `["items", "GET"]` → `items/GET`.
    static func methodSettingKey(_ segments: [String]) -> String? {
        guard segments.count >= 2, let method = segments.last else { return nil }
        guard method == "*" || RestMethod.httpMethods.contains(method) else { return nil }
        let resourcePath = segments.dropLast().joined(separator: "/")
        guard !resourcePath.isEmpty else { return nil }
        if resourcePath == "*" { return method == "*" ? "*/*" : nil }
        var trimmed = Substring(resourcePath)
        if trimmed.hasPrefix("/") && trimmed.count > 1 { trimmed = trimmed.dropFirst() }
        return "\(trimmed)/\(method)"
    }

    /// The paths AWS lists in its error, in its order.
    static let documentedPaths: [String] = {
        let settings = [
            "metrics/enabled", "logging/dataTrace", "logging/loglevel", "throttling/burstLimit", "throttling/rateLimit",
            "caching/ttlInSeconds", "caching/enabled", "caching/dataEncrypted", "caching/requireAuthorizationForCacheControl",
            "caching/unauthorizedCacheControlHeaderStrategy",
        ]
        return ["/deploymentId", "/description", "/cacheClusterEnabled", "/cacheClusterSize", "/clientCertificateId", "/accessLogSettings",
                "/accessLogSettings/destinationArn", "/accessLogSettings/format"]
            + settings.map { "/{resourcePath}/{httpMethod}/\($0)" } + settings.map { "/*/*/\($0)" }
            + ["/variables/{variable_name}", "/tracingEnabled"]
    }()

    /// AWS's message, with the odd joins AWS really sends (recorded in LocalStack's snapshots and
    /// reproduced by its provider): some entries are run together or separated by a space only.
    static func invalidMethodSettingPath(_ operation: PatchOperation) -> APIError {
        let list = documentedPaths.joined(separator: ", ")
            .replacingOccurrences(
                of: "/{resourcePath}/{httpMethod}/throttling/burstLimit, /{resourcePath}/{httpMethod}/throttling/rateLimit, /{resourcePath}/{httpMethod}/caching/ttlInSeconds",
                with: "/{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds")
            .replacingOccurrences(of: "/burstLimit, /", with: "/burstLimit /")
            .replacingOccurrences(of: "/rateLimit, /", with: "/rateLimit /")
        return .badRequest("Invalid method setting path: \(operation.path ?? "null"). Must be one of: [\(list)]")
    }
}
