import PorticoModel

/// UpdateIntegration's and UpdateIntegrationResponse's patch paths: scalar members by `replace`
/// (an empty value clears an optional one), map entries by `add`/`replace`/`remove`
/// (`/requestTemplates/application~1json`, `/requestParameters/integration.request.header.x`).
enum RestIntegrationPatch {
    static func apply(_ operation: PatchOperation, to integration: inout RestIntegration) throws(APIError) {
        let segments = operation.segments
        switch (segments.first, segments.count) {
        case ("requestTemplates", 2):
            try PatchMap.apply(operation, key: segments[1], to: &integration.requestTemplates)
        case ("requestParameters", 2):
            try PatchMap.apply(operation, key: segments[1], to: &integration.requestParameters)
        case ("cacheKeyParameters", _):
            let parameter = segments.count == 2 ? segments[1] : try operation.requiredValue()
            var parameters = integration.cacheKeyParameters ?? []
            switch operation.op {
            case .add: if !parameters.contains(parameter) { parameters.append(parameter) }
            case .remove: parameters.removeAll { $0 == parameter }
            default: throw operation.invalidPath
            }
            integration.cacheKeyParameters = parameters
        case ("tlsConfig", 2) where segments[1] == "insecureSkipVerification":
            try operation.requireReplace()
            integration.tlsConfig = RestTLSConfig(insecureSkipVerification: try operation.boolValue())
        case ("timeoutInMillis", 1):
            try operation.requireReplace()
            integration.timeoutInMillis = try operation.integerValue()
        case ("passthroughBehavior", 1):
            try operation.requireReplace()
            let value = try operation.requiredValue()
            guard RestIntegration.passthroughBehaviors.contains(value) else {
                throw .badRequest("Invalid passthrough behavior specified: \(value)")
            }
            integration.passthroughBehavior = value
        case ("contentHandling", 1):
            integration.contentHandling = try contentHandling(operation)
        case (let member?, 1) where optionalMembers.contains(member):
            try operation.requireReplace()
            let value = operation.value.flatMap { $0.isEmpty ? nil : $0 }
            switch member {
            case "uri": integration.uri = value
            case "httpMethod": integration.httpMethod = value
            case "connectionType": integration.connectionType = value
            case "connectionId": integration.connectionId = value
            case "credentials": integration.credentials = value
            default: integration.cacheNamespace = value
            }
        default:
            throw operation.invalidPath
        }
    }

    static let optionalMembers: Set<String> = ["uri", "httpMethod", "connectionType", "connectionId", "credentials", "cacheNamespace"]

    static func apply(_ operation: PatchOperation, to response: inout IntegrationResponse) throws(APIError) {
        let segments = operation.segments
        switch (segments.first, segments.count) {
        case ("responseTemplates", 2):
            try PatchMap.apply(operation, key: segments[1], to: &response.responseTemplates)
        case ("responseParameters", 2):
            try PatchMap.apply(operation, key: segments[1], to: &response.responseParameters)
        case ("selectionPattern", 1):
            try operation.requireReplace()
            response.selectionPattern = operation.value
        case ("contentHandling", 1):
            response.contentHandling = try contentHandling(operation)
        default:
            throw operation.invalidPath
        }
    }

    /// `replace` with a strategy, or `remove` (or an empty value) to pass content through.
    private static func contentHandling(_ operation: PatchOperation) throws(APIError) -> String? {
        if operation.op == .remove { return nil }
        try operation.requireReplace()
        guard let value = operation.value, !value.isEmpty else { return nil }
        guard RestIntegration.contentHandlingStrategies.contains(value) else {
            throw .badRequest("Invalid content handling specified: \(value)")
        }
        return value
    }
}
