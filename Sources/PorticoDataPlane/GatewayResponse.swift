import NIOCore
import NIOHTTP1

/// The responses the gateway itself produces, with Amazon API Gateway's statuses and bodies for
/// HTTP APIs.
enum GatewayResponse {
    /// No API, stage or route: `404 {"message":"Not Found"}`.
    case notFound
    /// The default endpoint of an API that disabled it: `403 {"message":"Forbidden"}`.
    case forbidden
    /// The request exceeds the payload quota.
    case payloadTooLarge
    /// Header section over the limit.
    case headersTooLarge
    /// Malformed HTTP.
    case badRequest
    /// An HTTP API Lambda authorizer refused the request or its identity sources are missing.
    case unauthorized
    /// The integration failed (refused, reset, garbage, unusable configuration).
    case internalServerError
    /// The integration did not answer within its timeout. HTTP APIs answer
    /// `503 {"message":"Service Unavailable"}` (reported from real AWS in serverless/serverless#11222
    /// for `httpApi` integration timeouts, and sst#2232 quoting the body); REST APIs answer 504
    /// "Endpoint request timed out".
    case integrationTimeout
    /// A stage (route) or account throttle refused the request: `429 {"message":"Too Many Requests"}`, as AWS's
    /// HTTP APIs answer ("Clients may receive 429 Too Many Requests error responses", HTTP API throttling guide).
    case tooManyRequests
    /// CORS preflight answered by the gateway: 204, no body.
    case preflight([(String, String)])
    /// A 403 with its own JSON body (an `AWS_IAM` route's SigV4 or policy refusal, in AWS's
    /// words) and the `x-amzn-ErrorType` AWS names it with.
    case refused(body: String, message: String, type: String, amznErrorType: String?)
    /// Any status with its own JSON body (or none): WebSocket handshakes refused by `$connect`, `@connections` answers.
    case json(HTTPResponseStatus, body: String?, amznErrorType: String?)
    /// `@connections` for a connection that is not (or no longer) there: AWS's 410 `GoneException`.
    static let gone = GatewayResponse.json(.gone, body: #"{"message":"Gone"}"#, amznErrorType: "GoneException")

    var status: HTTPResponseStatus {
        switch self {
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .payloadTooLarge: .payloadTooLarge
        case .headersTooLarge: .requestHeaderFieldsTooLarge
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .internalServerError: .internalServerError
        case .integrationTimeout: .serviceUnavailable
        case .tooManyRequests: .tooManyRequests
        case .preflight: .noContent
        case .refused: .forbidden
        case .json(let status, _, _): status
        }
    }

    var message: String? {
        switch self {
        case .notFound: "Not Found"
        case .forbidden: "Forbidden"
        case .payloadTooLarge: "Request Entity Too Large"
        case .headersTooLarge: "Request Header Fields Too Large"
        case .badRequest: "Bad Request"
        case .unauthorized: "Unauthorized"
        case .internalServerError: "Internal Server Error"
        case .integrationTimeout: "Service Unavailable"
        case .tooManyRequests: "Too Many Requests"
        case .preflight: nil
        case .refused(_, let message, _, _): message
        case .json: nil
        }
    }

    /// For `$context.error.responseType`-like logging.
    var errorType: String? {
        switch self {
        case .notFound: "NOT_FOUND"
        case .forbidden: "ACCESS_DENIED"
        case .payloadTooLarge: "REQUEST_TOO_LARGE"
        case .headersTooLarge: "REQUEST_TOO_LARGE"
        case .badRequest: "BAD_REQUEST"
        case .unauthorized: "UNAUTHORIZED"
        case .internalServerError: "INTEGRATION_FAILURE"
        case .integrationTimeout: "INTEGRATION_TIMEOUT"
        case .tooManyRequests: "THROTTLED"
        case .preflight: nil
        case .refused(_, _, let type, _): type
        case .json: nil
        }
    }

    func head(requestId: String?, keepAlive: Bool, extraHeaders: [(String, String)] = []) -> (HTTPResponseHead, ByteBuffer?) {
        var headers = HTTPHeaders()
        var body: ByteBuffer?
        if case .refused(let text, _, _, let amznErrorType) = self {
            body = ByteBuffer(string: text)
            headers.add(name: "content-type", value: "application/json")
            headers.add(name: "content-length", value: String(text.utf8.count))
            if let amznErrorType { headers.add(name: "x-amzn-ErrorType", value: amznErrorType) }
        } else if case .json(_, let text?, let amznErrorType) = self {
            body = ByteBuffer(string: text)
            headers.add(name: "content-type", value: "application/json")
            headers.add(name: "content-length", value: String(text.utf8.count))
            if let amznErrorType { headers.add(name: "x-amzn-ErrorType", value: amznErrorType) }
        } else if case .json(let status, nil, _) = self, status.mayHaveResponseBody {
            headers.add(name: "content-length", value: "0")
        } else if let message {
            let text = "{\"message\":\"\(message)\"}"
            body = ByteBuffer(string: text)
            headers.add(name: "content-type", value: "application/json")
            headers.add(name: "content-length", value: String(text.utf8.count))
        }
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        if let requestId { headers.add(name: "apigw-requestid", value: requestId) }
        if !keepAlive { headers.add(name: "connection", value: "close") }
        return (HTTPResponseHead(version: .http1_1, status: status, headers: headers), body)
    }
}
