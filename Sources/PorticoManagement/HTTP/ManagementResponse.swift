import Foundation
import PorticoModel

/// What a handler answers: a status, extra headers and a body. The server adds
/// `x-amzn-RequestId`, `Content-Length` and connection handling.
struct ManagementResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static let jsonContentType = "application/json"

    /// A JSON body encoded the way the AWS SDKs read it (ISO 8601 dates, camelCase members).
    static func json(_ status: Int, _ value: some Encodable) throws -> ManagementResponse {
        let data = try JSONCoding.encoder().encode(value)
        return ManagementResponse(status: status, headers: [("Content-Type", jsonContentType)], body: Array(data))
    }

    /// A JSON body for the `apigateway` (REST API) operations, whose timestamps are epoch seconds.
    static func restJSON(_ status: Int, _ value: some Encodable) throws -> ManagementResponse {
        let data = try JSONCoding.epochEncoder().encode(value)
        return ManagementResponse(status: status, headers: [("Content-Type", jsonContentType)], body: Array(data))
    }

    /// `202 Accepted` with no body, as most `apigateway` deletes answer (AWS_FACTS 8).
    static let accepted = ManagementResponse(status: 202)

    static func jsonText(_ status: Int, _ text: String) -> ManagementResponse {
        ManagementResponse(status: status, headers: [("Content-Type", jsonContentType)], body: Array(text.utf8))
    }

    /// `204 No Content`, as the delete operations answer.
    static let noContent = ManagementResponse(status: 204)

    /// An error in AWS's shape: `x-amzn-ErrorType` names the type, the body is `{"message": ...}`.
    static func error(_ error: APIError) -> ManagementResponse {
        ManagementResponse(
            status: error.status,
            headers: [("x-amzn-ErrorType", error.type), ("Content-Type", jsonContentType)],
            body: Array(error.jsonBody.utf8))
    }
}
