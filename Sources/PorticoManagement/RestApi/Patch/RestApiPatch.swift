import PorticoModel

/// UpdateRestApi's patch paths. AWS answers an unknown path with `Invalid patch path /x` and an op
/// a scalar member does not take with `Must be one of: [replace]` (recorded).
enum RestApiPatch {
    static func apply(_ operation: PatchOperation, to api: inout RestApi) throws(APIError) {
        let segments = operation.segments
        switch segments.first {
        case "name" where segments.count == 1:
            try operation.requireReplace()
            let name = try operation.requiredValue()
            guard !name.isEmpty else { throw RestMessages.emptyApiName }
            api.name = name
        case "description" where segments.count == 1:
            try operation.requireReplace()
            api.description = operation.value.flatMap { $0.isEmpty ? nil : $0 }
        case "version" where segments.count == 1:
            try operation.requireReplace()
            api.version = operation.value.flatMap { $0.isEmpty ? nil : $0 }
        case "policy" where segments.count == 1:
            try operation.requireReplace()
            api.policy = operation.value.flatMap { $0.isEmpty ? nil : $0 }
            try RestResourcePolicyValidation.check(api.policy)
        case "apiKeySource" where segments.count == 1:
            try operation.requireReplace()
            let source = try operation.requiredValue()
            guard ["HEADER", "AUTHORIZER"].contains(source) else {
                throw .badRequest("Invalid API Key source specified. Valid options are HEADER,AUTHORIZER")
            }
            api.apiKeySource = source
        case "disableExecuteApiEndpoint" where segments.count == 1:
            try operation.requireReplace()
            api.disableExecuteApiEndpoint = try operation.boolValue()
        case "minimumCompressionSize" where segments.count == 1:
            // Recorded: this path has its own wording for a wrong op, and an empty value clears it.
            guard operation.op == .replace else {
                throw .badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'")
            }
            guard let text = operation.value, !text.isEmpty else {
                api.minimumCompressionSize = nil
                return
            }
            guard let size = Int(text), (0...RestApi.maximumCompressionSize).contains(size) else {
                throw RestMessages.compressionSize
            }
            api.minimumCompressionSize = size
        case "binaryMediaTypes" where segments.count == 2:
            try applyBinaryMediaType(operation, type: segments[1], to: &api)
        case "endpointConfiguration" where segments.count >= 2:
            try applyEndpointConfiguration(operation, segments: Array(segments.dropFirst()), to: &api)
        default:
            throw operation.invalidPath
        }
    }

    /// `/binaryMediaTypes/image~1png`: the media type is in the path. `replace` removes it and
    /// appends `value` at the end of the list, as AWS does.
    private static func applyBinaryMediaType(_ operation: PatchOperation, type: String, to api: inout RestApi) throws(APIError) {
        var types = api.binaryMediaTypes ?? []
        switch operation.op {
        case .add:
            if !types.contains(type) { types.append(type) }
        case .remove:
            types.removeAll { $0 == type }
        case .replace:
            let replacement = try operation.requiredValue()
            types.removeAll { $0 == type }
            if !types.contains(replacement) { types.append(replacement) }
        default:
            throw operation.invalidPath
        }
        api.binaryMediaTypes = types.isEmpty ? nil : types
    }

    private static func applyEndpointConfiguration(
        _ operation: PatchOperation, segments: [String], to api: inout RestApi
    ) throws(APIError) {
        var configuration = api.endpointConfiguration ?? EndpointConfiguration(types: ["EDGE"], ipAddressType: "ipv4")
        switch (segments.first, segments.count) {
        case ("types", 2):
            // `replace /endpointConfiguration/types/EDGE` with value `REGIONAL` switches the type.
            try operation.requireReplace()
            let newType = try operation.requiredValue()
            guard EndpointConfiguration.endpointTypes.contains(newType) else { throw RestMessages.invalidEndpointType }
            var types = configuration.types ?? []
            types.removeAll { $0 == segments[1] }
            types.append(newType)
            configuration.types = types
            if newType == "PRIVATE" { configuration.ipAddressType = "dualstack" }
        case ("ipAddressType", 1):
            try operation.requireReplace()
            let value = try operation.requiredValue()
            guard EndpointConfiguration.ipAddressTypes.contains(value) else { throw RestMessages.invalidIpAddressType }
            if configuration.types == ["PRIVATE"] && value == "ipv4" { throw RestMessages.privateNeedsDualstack }
            configuration.ipAddressType = value
        case ("vpcEndpointIds", 1), ("vpcEndpointIds", 2):
            // The id is in the path or, as Terraform sends it, in the value.
            let id = segments.count == 2 ? segments[1] : try operation.requiredValue()
            var ids = configuration.vpcEndpointIds ?? []
            switch operation.op {
            case .add: if !ids.contains(id) { ids.append(id) }
            case .remove: ids.removeAll { $0 == id }
            default: throw PatchOperation.onlyReplace
            }
            configuration.vpcEndpointIds = ids.isEmpty ? nil : ids
        default:
            throw operation.invalidPath
        }
        api.endpointConfiguration = configuration
    }
}
