public import PorticoModel
public import PorticoTemplates

/// Every gateway response type of one deployment compiled: AWS's defaults with the API's
/// customisations laid over them (``GatewayResponse/effective(_:customised:)``), headers parsed
/// and the body template compiled, once per deployment.
public struct RestGatewayResponses: Sendable {
    public struct Compiled: Sendable {
        public let type: GatewayResponseType
        public let status: Int
        /// `gatewayresponse.header.{name}` → its source.
        public let headers: [(name: String, source: RestValueSource)]
        /// The `application/json` template, else the first; nil renders an empty body.
        public let template: MappingTemplate?
        public let contentType: String
        /// The `x-amzn-ErrorType` header AWS sends with this type, where known.
        public let errorType: String?
        /// Neither this type nor its DEFAULT_4XX/5XX family is customised on the API: where AWS's
        /// answer departs from its own default template (an authorizer's deny), it is used.
        public internal(set) var isDefault = false
    }

    private let byType: [GatewayResponseType: Compiled]

    public init(customised: [GatewayResponse], warnings: inout [String]) {
        var byType: [GatewayResponseType: Compiled] = [:]
        for type in GatewayResponseType.allCases {
            var compiled = Self.compile(GatewayResponse.effective(type, customised: customised), warnings: &warnings)
            compiled.isDefault = !customised.contains { $0.responseType == type || $0.responseType == type.family }
            byType[type] = compiled
        }
        self.byType = byType
    }

    /// AWS's defaults, for errors found before a deployment is known (an unknown stage).
    public static let defaults: RestGatewayResponses = {
        var warnings: [String] = []
        return RestGatewayResponses(customised: [], warnings: &warnings)
    }()

    public func response(_ type: GatewayResponseType) -> Compiled {
        byType[type]!
    }

    static func compile(_ response: GatewayResponse, warnings: inout [String]) -> Compiled {
        let type = response.responseType
        // DEFAULT_4XX / DEFAULT_5XX have no status of their own; they are used for 400 and 500.
        let fallback = type == .default5XX ? 500 : 400
        let status = response.statusCode.flatMap { Int($0) } ?? Int(type.defaultStatusCode ?? "") ?? fallback
        var headers: [(name: String, source: RestValueSource)] = []
        for (key, value) in response.responseParameters.sorted(by: { $0.key < $1.key }) {
            guard let name = key.after("gatewayresponse.header."), let source = RestValueSource(parsing: value) else {
                warnings.append("gateway response \(type.rawValue): mapping \(key) = \(value) is not understood; skipped")
                continue
            }
            headers.append((name, source))
        }
        let contentType = response.responseTemplates["application/json"] != nil
            ? "application/json" : response.responseTemplates.keys.sorted().first ?? "application/json"
        var template: MappingTemplate?
        if let source = response.responseTemplates[contentType] {
            do {
                template = try MappingTemplate(source: source)
            } catch {
                warnings.append("gateway response \(type.rawValue): template does not compile: \(error)")
            }
        }
        return Compiled(
            type: type, status: status, headers: headers, template: template, contentType: contentType,
            errorType: errorTypes[type])
    }

    /// `x-amzn-ErrorType` values AWS sends with gateway responses. MISSING_AUTHENTICATION_TOKEN
    /// is recorded (AWS_FACTS 1); the others follow AWS's exception naming for the same errors
    /// (`BadRequestException` is what AWS's SDKs see for validation failures).
    static let errorTypes: [GatewayResponseType: String] = [
        .missingAuthenticationToken: "MissingAuthenticationTokenException",
        .badRequestBody: "BadRequestException",
        .badRequestParameters: "BadRequestException",
        .unsupportedMediaType: "UnsupportedMediaTypeException",
        .accessDenied: "AccessDeniedException",
        // Lambda authorizers: as AWS names them in `x-amzn-ErrorType` (reported, not recorded here).
        .unauthorized: "UnauthorizedException",
        .authorizerConfigurationError: "AuthorizerConfigurationException",
        .authorizerFailure: "AuthorizerFailureException",
        // API keys and usage plans: as AWS names them (reported, not recorded here).
        .invalidApiKey: "ForbiddenException",
        .throttled: "TooManyRequestsException",
        .quotaExceeded: "LimitExceededException",
    ]
}
