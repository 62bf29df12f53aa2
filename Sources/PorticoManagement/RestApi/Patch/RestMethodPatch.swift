import PorticoModel

/// UpdateMethod's patch paths. Scalar members take only `replace`; the request parameter and model
/// maps take `add`/`replace`/`remove` of one key (`/requestModels/application~1json`).
enum RestMethodPatch {
    static func apply(_ operation: PatchOperation, to method: inout RestMethod) throws(APIError) {
        let segments = operation.segments
        switch (segments.first, segments.count) {
        case ("authorizationType", 1):
            try operation.requireReplace()
            method.authorizationType = try operation.requiredValue()
            if method.authorizationType == "NONE" || method.authorizationType == "AWS_IAM" { method.authorizerId = nil }
        case ("authorizerId", 1):
            try operation.requireReplace()
            // Checked against the API's authorizers once every operation is applied.
            method.authorizerId = operation.value.flatMap { $0.isEmpty ? nil : $0 }
        case ("apiKeyRequired", 1):
            try operation.requireReplace()
            // Recorded: AWS reads anything but "true" as false rather than refusing it.
            method.apiKeyRequired = operation.value?.lowercased() == "true"
        case ("operationName", 1):
            try operation.requireReplace()
            method.operationName = operation.value.flatMap { $0.isEmpty ? nil : $0 }
        case ("requestValidatorId", 1):
            try operation.requireReplace()
            method.requestValidatorId = operation.value.flatMap { $0.isEmpty ? nil : $0 }
        case ("requestParameters", 2):
            try PatchMap.apply(operation, key: segments[1], to: &method.requestParameters) { value throws(APIError) in
                value.lowercased() == "true"
            }
            if method.requestParameters?.isEmpty == true { method.requestParameters = nil }
        case ("requestModels", 2):
            try PatchMap.apply(operation, key: segments[1], to: &method.requestModels)
            if method.requestModels?.isEmpty == true { method.requestModels = nil }
        case ("authorizationScopes", _):
            var scopes = method.authorizationScopes ?? []
            let scope = segments.count == 2 ? segments[1] : try operation.requiredValue()
            switch operation.op {
            case .add: if !scopes.contains(scope) { scopes.append(scope) }
            case .remove: scopes.removeAll { $0 == scope }
            default: throw operation.invalidPath
            }
            method.authorizationScopes = scopes.isEmpty ? nil : scopes
        default:
            throw operation.invalidPath
        }
    }
}
