import NIOCore
import NIOHTTP1

/// A REST API response, complete: REST integrations buffer both ways, so the gateway writes it
/// in one go with a `content-length`.
struct RestResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    /// The gateway response type, when the gateway answered itself (for the access log).
    var errorType: String?
    var errorMessage: String?

    /// The head to send: the response's headers, AWS's request-id and trace headers, the length.
    func head(exchange: Exchange, rest: RestExchange, keepAlive: Bool) -> HTTPResponseHead {
        var headers = HTTPHeaders()
        // The response's headers and the five the gateway may add, in one allocation.
        headers.reserveCapacity(self.headers.count + 5)
        for (name, value) in self.headers { headers.add(name: name, value: value) }
        // AWS_FACTS 4: REST responses carry x-amzn-RequestId, x-amz-apigw-id (the extended
        // request id) and X-Amzn-Trace-Id.
        headers.replaceOrAdd(name: "x-amzn-RequestId", value: rest.requestId)
        headers.replaceOrAdd(name: "x-amz-apigw-id", value: exchange.requestId)
        if !headers.contains(name: "x-amzn-trace-id") { headers.add(name: "X-Amzn-Trace-Id", value: rest.traceId) }
        headers.replaceOrAdd(name: "content-length", value: String(body.count))
        if !keepAlive { headers.replaceOrAdd(name: "connection", value: "close") }
        return HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
    }
}
