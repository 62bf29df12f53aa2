import PorticoModel

/// REST API stage names, variables and cache sizes.
enum RestStageValidation {
    /// 1–128 letters, digits, hyphens and underscores.
    static func validateName(_ name: String) throws(APIError) {
        guard (1...128).contains(name.utf8.count),
            name.utf8.allSatisfy({ byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            })
        else {
            throw RestMessages.invalidStageName(name)
        }
    }

    /// Stage variables follow the same rules for REST and HTTP APIs.
    static func validateVariables(_ variables: [String: String]) throws(APIError) {
        try StageValidation.validateVariables(variables)
    }

    static func validateCacheClusterSize(_ size: String) throws(APIError) {
        guard RestStage.cacheClusterSizes.contains(size) else {
            throw .badRequest("Invalid cache cluster size specified. Valid options are \(RestStage.cacheClusterSizes.joined(separator: ","))")
        }
    }

    /// Turns the cache cluster on or off with AWS's reported status and default size.
    static func setCacheCluster(_ enabled: Bool, size: String?, on stage: inout RestStage) {
        stage.cacheClusterEnabled = enabled
        if let size { stage.cacheClusterSize = size }
        if enabled {
            stage.cacheClusterSize = stage.cacheClusterSize ?? "0.5"
            stage.cacheClusterStatus = RestStage.cacheAvailable
        } else {
            stage.cacheClusterStatus = RestStage.cacheNotAvailable
        }
    }
}
