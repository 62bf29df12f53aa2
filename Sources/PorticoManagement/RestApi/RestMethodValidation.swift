import PorticoModel

/// What PutMethod and UpdateMethod check against the rest of the API, with AWS's recorded messages.
enum RestMethodValidation {
    static let parameterLocations = ["path", "querystring", "header", "multivaluequerystring", "multivalueheader"]

    static func validate(_ method: RestMethod, in document: RestApiDocument) throws(APIError) {
        guard RestMethod.authorizationTypes.contains(method.authorizationType) else {
            throw .badRequest(
                "Invalid authorization type specified. Valid options are \(RestMethod.authorizationTypes.joined(separator: ","))")
        }
        // CUSTOM and COGNITO_USER_POOLS need an authorizer of the API, of the matching kind.
        if ["CUSTOM", "COGNITO_USER_POOLS"].contains(method.authorizationType) {
            guard let id = method.authorizerId, let authorizer = document.authorizer(id),
                authorizer.isLambda == (method.authorizationType == "CUSTOM")
            else {
                throw RestMessages.invalidAuthorizer
            }
        }
        if let validatorId = method.requestValidatorId, document.requestValidator(validatorId) == nil {
            throw RestMessages.invalidRequestValidator
        }
        for name in (method.requestModels ?? [:]).values.sorted() where document.model(named: name) == nil {
            throw RestMessages.unknownModel(name)
        }
        try validateRequestParameters(Array((method.requestParameters ?? [:]).keys))
    }

    /// `method.request.{location}.{name}` keys, each name used in one location only.
    static func validateRequestParameters(_ keys: [String]) throws(APIError) {
        var names: Set<String> = []
        for key in keys.sorted() {
            let parts = key.split(separator: ".", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, parts[0] == "method", parts[1] == "request", parameterLocations.contains(String(parts[2])),
                !parts[3].isEmpty
            else {
                throw .badRequest(
                    "Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: \(key)]")
            }
            guard names.insert(String(parts[3])).inserted else { throw RestMessages.duplicateParameterNames }
        }
    }
}
