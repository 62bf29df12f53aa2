/// An error in Amazon API Gateway's shape: an HTTP status, the error type that goes into
/// `x-amzn-ErrorType`, and the `message` of the JSON body.
///
/// Every management operation reports failure with one of these, so that the AWS CLI, boto3
/// and Terraform see exactly what AWS would have sent them.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var type: String
    public var message: String

    public init(status: Int, type: String, message: String) {
        self.status = status
        self.type = type
        self.message = message
    }

    public var description: String { "\(type) (\(status)): \(message)" }

    public static func notFound(_ message: String) -> APIError {
        APIError(status: 404, type: "NotFoundException", message: message)
    }

    public static func badRequest(_ message: String) -> APIError {
        APIError(status: 400, type: "BadRequestException", message: message)
    }

    public static func conflict(_ message: String) -> APIError {
        APIError(status: 409, type: "ConflictException", message: message)
    }

    /// AWS's answer to a request that breaks the service model's constraints (an enum value, a
    /// pattern). Its body has only `message`, and the SDKs report the code `ValidationException`.
    public static func validation(_ message: String) -> APIError {
        APIError(status: 400, type: "ValidationException", message: message)
    }

    public static func tooManyRequests(_ message: String) -> APIError {
        APIError(status: 429, type: "TooManyRequestsException", message: message)
    }

    public static func accessDenied(_ message: String) -> APIError {
        APIError(status: 403, type: "AccessDeniedException", message: message)
    }

    /// The body AWS sends for this error: `{"message": "..."}`.
    public var jsonBody: String {
        "{\"message\":\(JSONText.quoted(message))}"
    }
}
