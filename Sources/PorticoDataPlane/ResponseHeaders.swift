import NIOHTTP1
import PorticoRuntime

/// Turns a backend's response head into the one the client gets: hop-by-hop headers dropped,
/// CORS headers per the API's configuration, `apigw-requestid` added, response parameter
/// mapping applied.
enum ResponseHeaders {
    static func make(from upstream: HTTPResponseHead, exchange: Exchange, keepAlive: Bool) -> HTTPResponseHead {
        var headers = HTTPHeaders()
        headers.reserveCapacity(upstream.headers.count + 3)
        let cors = exchange.stage?.cors
        for (name, value) in upstream.headers {
            switch HeaderName.classify(name) {
            case .connection, .transferEncoding, .hopByHop: continue
            default: break
            }
            // "If you configure CORS for an API, API Gateway ignores CORS headers returned from
            // your backend integration."
            if cors != nil, HeaderName.hasPrefix(name, "access-control-") { continue }
            headers.add(name: name, value: value)
        }
        if let cors, let origin = exchange.corsAllowOrigin {
            for (name, value) in cors.responseHeaders(allowOrigin: origin) { headers.add(name: name, value: value) }
        }
        headers.add(name: "apigw-requestid", value: exchange.requestId)
        if !keepAlive {
            headers.add(name: "connection", value: "close")
        } else if exchange.head.version.major == 1, exchange.head.version.minor == 0 {
            // HTTP/1.0 closes by default; a connection kept open must say so.
            headers.add(name: "connection", value: "keep-alive")
        }
        return HTTPResponseHead(version: exchange.head.version, status: upstream.status, headers: headers)
    }

    static func apply(_ mapping: ParameterMapping, to head: inout HTTPResponseHead, context: MappingContext) {
        for operation in mapping.operations {
            let value = operation.value.render(context)
            switch operation.target {
            case .header(let name):
                if let value, !ProxyRequest.isSafeHeaderValue(value) { continue }
                switch operation.action {
                case .remove: head.headers.remove(name: name)
                case .overwrite:
                    if let value { head.headers.replaceOrAdd(name: name, value: value) }
                case .append:
                    if let value { head.headers.add(name: name, value: value) }
                }
            case .statusCode:
                if let value, let code = Int(value), (100...599).contains(code) {
                    head.status = HTTPResponseStatus(statusCode: code)
                }
            case .queryString, .path:
                break
            }
        }
    }
}
