import PorticoModel

/// The errors of the Lambda API, in its own shape: `x-amzn-ErrorType` names the type, and the
/// body is `{"Type": "User", "message": "..."}` (`"Service"` for 5xx). The member is `message`
/// or `Message` as botocore's service model (lambda 2015-03-31) spells it per exception; the SDKs
/// read either, but a raw client may not.
enum LambdaErrors {
    /// The exceptions whose model member is `Message`, not `message` (botocore's lambda model).
    private static let capitalisedMessage: Set<String> = [
        "ResourceNotFoundException", "ServiceException", "ResourceInUseException", "InvalidRuntimeException",
        "InvalidZipFileException", "CodeSigningConfigNotFoundException", "CodeVerificationFailedException",
        "InvalidCodeSignatureException", "RecursiveInvocationException", "NoPublishedVersionException",
        "EC2AccessDeniedException", "EC2ThrottledException", "EC2UnexpectedException", "ENILimitReachedException",
        "KMSAccessDeniedException", "KMSDisabledException", "KMSInvalidStateException", "KMSNotFoundException",
        "SnapStartException", "SnapStartNotReadyException", "SnapStartTimeoutException",
    ]

    /// The JSON body of `error` as Lambda sends it. `ValidationException` comes from AWS's
    /// request-validation layer rather than from Lambda, and has no `Type`.
    /// `reason` is the `Reason` member of a throttle (`TooManyRequestsException`:
    /// `{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}`).
    static func body(_ error: APIError, reason: String? = nil) -> String {
        let key = capitalisedMessage.contains(error.type) ? "Message" : "message"
        if error.type == "ValidationException" {
            return "{\"message\":\(JSONText.quoted(error.message))}"
        }
        let kind = error.status >= 500 ? "Service" : "User"
        let reasonMember = reason.map { "\"Reason\":\(JSONText.quoted($0))," } ?? ""
        return "{\(reasonMember)\"Type\":\"\(kind)\",\"\(key)\":\(JSONText.quoted(error.message))}"
    }

    /// The shared request readers (``JSONBody``, query parsing) report API Gateway's
    /// `BadRequestException`; Lambda calls the same mistakes `InvalidRequestContentException`
    /// (a body that is not JSON) and `InvalidParameterValueException` (a member of the wrong type).
    static func translated(_ error: APIError) -> APIError {
        guard error.type == "BadRequestException" else { return error }
        if error.message.hasPrefix("Could not parse request body into json") {
            return APIError(status: 400, type: "InvalidRequestContentException", message: error.message)
        }
        return invalidParameter(error.message)
    }

    static func invalidParameter(_ message: String) -> APIError {
        APIError(status: 400, type: "InvalidParameterValueException", message: message)
    }

    static func conflict(_ message: String) -> APIError {
        APIError(status: 409, type: "ResourceConflictException", message: message)
    }

    static func notFound(_ message: String) -> APIError {
        APIError(status: 404, type: "ResourceNotFoundException", message: message)
    }

    static func preconditionFailed(_ message: String) -> APIError {
        APIError(status: 412, type: "PreconditionFailedException", message: message)
    }

    static func service(_ message: String) -> APIError {
        APIError(status: 500, type: "ServiceException", message: message)
    }

    /// AWS's request-validation failure: "1 validation error detected: ...; ...", one clause per
    /// violated model constraint.
    static func validation(_ violations: [String]) -> APIError {
        let count = violations.count == 1 ? "1 validation error detected" : "\(violations.count) validation errors detected"
        return .validation("\(count): \(violations.joined(separator: "; "))")
    }

    /// `Function not found: arn:aws:lambda:{region}:{account}:function:{name}` (with `:{qualifier}`
    /// for a qualified ARN), as Lambda answers an unknown function.
    static func functionNotFound(_ arn: String) -> APIError {
        notFound("Function not found: \(arn)")
    }

    /// CreateFunction on a name that exists (AWS's text, also mirrored by LocalStack's snapshots).
    static func functionExists(_ name: String) -> APIError {
        conflict("Function already exist: \(name)")
    }

    /// AWS's answer to a zip it cannot open.
    static let cannotUnzip = invalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.")

    /// The `RevisionId` precondition of the update operations (AWS's text).
    static let revisionMismatch = preconditionFailed(
        "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")

    /// The same precondition on the resource policy (AddPermission, RemovePermission).
    static let policyRevisionMismatch = preconditionFailed(
        "The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id")
}

extension ManagementResponse {
    /// An error in the Lambda API's shape (see ``LambdaErrors``).
    static func lambdaError(_ error: APIError, reason: String? = nil) -> ManagementResponse {
        let error = LambdaErrors.translated(error)
        return ManagementResponse(
            status: error.status,
            headers: [("x-amzn-ErrorType", error.type), ("Content-Type", jsonContentType)],
            body: Array(LambdaErrors.body(error, reason: reason).utf8))
    }

    /// A JSON body written from a ``JSONValue`` (Lambda's members are PascalCase and many are
    /// omitted when empty, which a value tree says more plainly than an `Encodable` type).
    static func lambdaJSON(_ status: Int, _ value: JSONValue) -> ManagementResponse {
        .jsonText(status, value.jsonText)
    }
}
