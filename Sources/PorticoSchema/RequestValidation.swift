import Foundation
public import PorticoModel

/// The request validation of one REST API method, prepared once per deployment: which parameters
/// are required, and which model checks the body for each content type. ``check(header:queryString:path:contentType:body:)``
/// returns nil when the request may proceed, or the 400 AWS answers.
///
/// Behaviour mirrors AWS as recorded in AWS_FACTS 5 and the developer guide ("Request validation for
/// REST APIs in API Gateway"); each branch below names which.
public struct RequestValidation: Sendable {
    /// Why a request was refused; AWS answers both with status 400.
    public enum Failure: Sendable, Equatable {
        /// Required parameters that are absent or blank, in AWS's order: headers, then path, then query string.
        case missingParameters([String])
        /// The body broke the model (the failures), or was not JSON (no failures).
        case invalidBody([ValidationFailure])

        /// The `message` of the error body, exactly as AWS words it (AWS_FACTS 5). AWS appends no details.
        public var message: String {
            switch self {
            case .missingParameters(let names): "Missing required request parameters: [\(names.joined(separator: ", "))]"
            case .invalidBody: "Invalid request body"
            }
        }

        /// The gateway response type that renders this failure.
        public var responseType: GatewayResponseType {
            switch self {
            case .missingParameters: .badRequestParameters
            case .invalidBody: .badRequestBody
            }
        }

        /// Details for `$context.error.validationErrorString` (the message for parameters; the schema
        /// failures, bracketed, for a body). The wording of body details is this validator's, not AWS's.
        public var validationErrorString: String {
            switch self {
            case .missingParameters: message
            case .invalidBody(let failures) where failures.isEmpty: "[Unable to parse the request body as JSON]"
            case .invalidBody(let failures): "[" + failures.map(\.message).joined(separator: ", ") + "]"
            }
        }
    }

    private let requiredHeaders: [String]
    private let requiredPaths: [String]
    private let requiredQueryStrings: [String]
    /// Media type (lower-cased, no parameters) → schema; `$default` under its own key.
    private let bodySchemas: [String: JSONSchema]

    /// Whether anything is checked at all; when false the data plane can skip ``check(header:queryString:path:contentType:body:)``.
    public var isActive: Bool {
        !requiredHeaders.isEmpty || !requiredPaths.isEmpty || !requiredQueryStrings.isEmpty || !bodySchemas.isEmpty
    }

    /// - Parameters:
    ///   - requiredParameters: the method's `requestParameters` (`method.request.header.X` → required).
    ///   - validateRequestParameters: the validator's flag; when false no parameter is checked.
    ///   - validateRequestBody: the validator's flag; when false the body is not checked.
    ///   - bodySchemas: content type → schema of the method's `requestModels` (keys as the method names them,
    ///     `$default` included). Empty when the method names no models.
    public init(
        requiredParameters: [String: Bool]?, validateRequestParameters: Bool, validateRequestBody: Bool, bodySchemas: [String: JSONSchema]
    ) {
        var headers: [String] = [], paths: [String] = [], queryStrings: [String] = []
        if validateRequestParameters {
            // Sorted by name within each location, as LocalStack orders them (AWS_FACTS 5 fixes only the
            // order of the locations).
            for (key, required) in (requiredParameters ?? [:]).sorted(by: { $0.key < $1.key }) where required {
                let parts = key.split(separator: ".", maxSplits: 3)
                guard parts.count == 4, parts[0] == "method", parts[1] == "request" else { continue }
                switch parts[2] {
                case "header": headers.append(String(parts[3]))
                case "path": paths.append(String(parts[3]))
                case "querystring": queryStrings.append(String(parts[3]))
                default: continue  // `multivaluequerystring`/`multivalueheader` are not request parameters of a method
                }
            }
        }
        requiredHeaders = headers
        requiredPaths = paths
        requiredQueryStrings = queryStrings
        var schemas: [String: JSONSchema] = [:]
        if validateRequestBody {
            for (contentType, schema) in bodySchemas {
                schemas[contentType == "$default" ? contentType : Self.mediaType(contentType)] = schema
            }
        }
        self.bodySchemas = schemas
    }

    /// Prepares the validation of `method` under `validator` (nil: the method names none, so nothing
    /// is checked), taking its models' schemas from `models`.
    ///
    /// A method that validates bodies but names no request models is checked against AWS's `Empty`
    /// model for `application/json` (LocalStack's recorded parity fix, PR #7846: "AWS uses the default
    /// Empty model"). A model name that has no compiled schema is skipped.
    public init(method: RestMethod, validator: RequestValidator?, models: ModelSchemas) {
        var schemas: [String: JSONSchema] = [:]
        if let requestModels = method.requestModels, !requestModels.isEmpty {
            for (contentType, modelName) in requestModels {
                schemas[contentType] = models[modelName]
            }
        } else {
            schemas["application/json"] = models["Empty"] ?? Self.emptyModel
        }
        self.init(
            requiredParameters: method.requestParameters, validateRequestParameters: validator?.validateRequestParameters ?? false,
            validateRequestBody: validator?.validateRequestBody ?? false, bodySchemas: schemas)
    }

    /// AWS's default `Empty` model: `{"type": "object"}` (see ``RestModel/defaults(ids:)``).
    private static let emptyModel: JSONSchema = {
        // The literal schema compiles; a failure here is a programming error.
        guard let schema = try? JSONSchema(compiling: .object(["type": .string("object")])) else { preconditionFailure("Empty model") }
        return schema
    }()

    /// Checks a request. Parameters come first: AWS reports missing parameters even when the body is
    /// also wrong (one error per request).
    /// - Parameters:
    ///   - header: the value of a request header, looked up case-insensitively; nil when absent.
    ///   - queryString: the value of a query-string parameter; nil when absent.
    ///   - path: the value of a path parameter; nil when absent.
    ///   - contentType: the request's `Content-Type` header, if any.
    ///   - body: the request body bytes.
    public func check(
        header: (String) -> String?, queryString: (String) -> String?, path: (String) -> String?, contentType: String?, body: [UInt8]
    ) -> Failure? {
        if let missing = missingParameters(header: header, queryString: queryString, path: path) { return missing }
        guard let schema = bodySchema(contentType: contentType) else { return nil }
        // An empty body is validated as `{}` (LocalStack PR #7916, checked against AWS: a GET without
        // a body passes a body validator whose model accepts `{}`).
        let value: JSONValue
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            value = .object([:])
        } else if let parsed = JSONSchema.parse(body) {
            value = parsed
        } else {
            // A body that is not JSON fails like any invalid body: 400 "Invalid request body" (LocalStack's
            // handler; not among its AWS recordings).
            return .invalidBody([])
        }
        return checkBody(value, schema: schema)
    }

    /// ``check(header:queryString:path:contentType:body:)`` for a body the caller has already parsed
    /// (nil: the body is empty; pass ``Failure/invalidBody(_:)`` yourself when it is not JSON).
    public func check(
        header: (String) -> String?, queryString: (String) -> String?, path: (String) -> String?, contentType: String?, parsedBody: JSONValue?
    ) -> Failure? {
        if let missing = missingParameters(header: header, queryString: queryString, path: path) { return missing }
        guard let schema = bodySchema(contentType: contentType) else { return nil }
        return checkBody(parsedBody ?? .object([:]), schema: schema)
    }

    private func checkBody(_ value: JSONValue, schema: JSONSchema) -> Failure? {
        // The cheap pass decides; failures are only formatted for a body that fails.
        schema.isValid(value) ? nil : .invalidBody(schema.validate(value))
    }

    /// Required parameters that are absent or blank ("included and not blank", developer guide; its
    /// test step `GET /validation?q1=` is refused).
    private func missingParameters(header: (String) -> String?, queryString: (String) -> String?, path: (String) -> String?) -> Failure? {
        guard !requiredHeaders.isEmpty || !requiredPaths.isEmpty || !requiredQueryStrings.isEmpty else { return nil }
        var missing: [String] = []
        for name in requiredHeaders where header(name)?.isEmpty ?? true { missing.append(name) }
        for name in requiredPaths where path(name)?.isEmpty ?? true { missing.append(name) }
        for name in requiredQueryStrings where queryString(name)?.isEmpty ?? true { missing.append(name) }
        return missing.isEmpty ? nil : .missingParameters(missing)
    }

    /// The model for the request's content type, else the `$default` model, else none: "If no matching
    /// content type is found, request validation is not performed" (developer guide). A request without
    /// `Content-Type` is taken as `application/json`, as API Gateway does when it selects mapping templates.
    private func bodySchema(contentType: String?) -> JSONSchema? {
        guard !bodySchemas.isEmpty else { return nil }
        let mediaType = contentType.map(Self.mediaType) ?? "application/json"
        return bodySchemas[mediaType] ?? bodySchemas["$default"]
    }

    /// `Application/JSON; charset=utf-8` → `application/json`.
    static func mediaType(_ contentType: String) -> String {
        let end = contentType.firstIndex(of: ";") ?? contentType.endIndex
        return contentType[..<end].trimmingCharacters(in: .whitespaces).lowercased()
    }
}
