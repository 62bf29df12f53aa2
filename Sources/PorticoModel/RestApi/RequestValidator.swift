/// A request validator (`CreateRequestValidator`): whether a method that names it checks the
/// request body against its model, the required request parameters, or both.
public struct RequestValidator: Codable, Sendable, Equatable {
    public var id: String
    public var name: String?
    public var validateRequestBody: Bool
    public var validateRequestParameters: Bool

    public init(id: String, name: String?, validateRequestBody: Bool = false, validateRequestParameters: Bool = false) {
        self.id = id
        self.name = name
        self.validateRequestBody = validateRequestBody
        self.validateRequestParameters = validateRequestParameters
    }
}
