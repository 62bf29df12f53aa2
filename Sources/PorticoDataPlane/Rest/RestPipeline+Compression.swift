import PorticoRuntime

/// Payload compression for REST APIs (AWS: "Payload compression for REST APIs in API Gateway"),
/// on when the deployed API has a `minimumCompressionSize` (0 to 10,485,760).
///
/// - A request body sent with `Content-Encoding: gzip`, `deflate` or `identity` is decoded before
///   validation, mapping templates and the integration, which receives it decoded (and, for a
///   proxy integration, without the `Content-Encoding` header). An unsupported coding, or a body
///   that is not in the coding it names, answers 415 (UNSUPPORTED_MEDIA_TYPE), as AWS documents; one
///   that decodes to more than the payload limit answers 413 (REQUEST_TOO_LARGE). AWS's pages
///   say decompression works "by default"; Portico ties it to the same setting as compression
///   (the API's settings page turns both on as "Content encoding"), so an API without it passes
///   encoded bodies through untouched, as before.
/// - Responses: see ``RestResponse/compress(acceptEncoding:minimumSize:)``.
extension RestPipeline {
    func decodeRequestBody() -> RestResponse? {
        guard rest.deployment?.minimumCompressionSize != nil, let header = exchange.head.headers.first(name: "content-encoding") else {
            return nil
        }
        // Codings listed in the order they were applied: undone from the last.
        let names = header.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        var body = rest.body
        for name in names.reversed() {
            guard let coding = ContentCoding(name: name) else {
                return gatewayResponse(.unsupportedMediaType, message: "Unsupported Media Type")
            }
            switch coding.decompress(body, limit: configuration.maxPayloadBytes) {
            case .success(let decoded): body = decoded
            case .failure(.malformed): return gatewayResponse(.unsupportedMediaType, message: "Unsupported Media Type")
            case .failure(.tooLarge): return gatewayResponse(.requestTooLarge, message: "Request Too Long")
            }
        }
        rest.body = body
        rest.bodyWasDecoded = true
        return nil
    }
}

extension RestResponse {
    /// Compresses the body as AWS does ("Receive an API response with a compressed payload"): only
    /// with compression on, when the request's highest-priority `Accept-Encoding` is `gzip` or
    /// `deflate`, when the integration response has no `Content-Encoding` of its own, and when
    /// the body after the response template is at least `minimumSize` bytes. The gateway's own
    /// error answers are not integration responses and stay as they are.
    func compress(acceptEncoding: [String], minimumSize: Int) {
        guard errorType == nil, body.count >= minimumSize else { return }
        materializeForwardedHeaders()
        guard !headers.contains(where: { $0.0.lowercased() == "content-encoding" }),
            let coding = ContentCoding.preferred(acceptEncoding: acceptEncoding), coding != .identity,
            let compressed = coding.compress(body)
        else { return }
        body = compressed
        headers.append(("Content-Encoding", coding.name))
    }
}
