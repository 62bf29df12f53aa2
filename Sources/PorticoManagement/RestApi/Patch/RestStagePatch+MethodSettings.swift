import PorticoModel

/// Stage method settings: `/{resourcePath}/{httpMethod}/{group}/{setting}` patch paths, their
/// settings keys, and AWS's error for a path that is none of UpdateStage's.
extension RestStagePatch {
    /// `/{resourcePath}/{httpMethod}/{group}/{setting}`. The resource path may come escaped
    /// (`/~1items/GET/...`, AWS's documented form) or not (`/items/GET/...`, what Terraform's
    /// `method_path` produces); both name the key `items/GET`. `remove` of
    /// `/{resourcePath}/{httpMethod}` deletes the whole entry.
    static func applyMethodSetting(
        _ operation: PatchOperation, segments: [String], to stage: inout RestStage
    ) throws(APIError) {
        if operation.op == .remove, segments.count >= 2, let key = methodSettingKey(Array(segments)) {
            // AWS refuses (terraform-provider-aws's method_settings.go quotes it and ignores it).
            guard stage.methodSettings.removeValue(forKey: key) != nil else { throw cannotRemove(operation) }
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
        case ("caching", "ttlInSeconds"):
            // AWS: 0 (caching off) to 3600 seconds. The wording is a guess.
            let ttl = try operation.integerValue()
            guard (0...3600).contains(ttl) else { throw .badRequest("Invalid cache TTL: \(ttl). TTL must be between 0 and 3600 seconds.") }
            setting.cacheTtlInSeconds = ttl
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
