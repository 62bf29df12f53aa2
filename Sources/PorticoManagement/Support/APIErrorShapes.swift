import PorticoModel

/// Errors of the HTTP layer itself, in AWS's shape.
enum APIErrorShapes {
    static func payloadTooLarge(limit: Int) -> APIError {
        APIError(
            status: 413, type: "PayloadTooLargeException",
            message: "Request body is larger than the limit of \(limit) bytes.")
    }
}
