extension AccessLogFormat {
    /// API Gateway's limit on an access-log format ("Access log template size: 3 KB").
    public static let maximumFormatLength = 3 * 1024

    /// Checks an HTTP API stage's `accessLogSettings.format` as API Gateway does on CreateStage/UpdateStage.
    ///
    /// - Returns: the `BadRequestException` message for the first rule `format` breaks, or nil if it is valid.
    ///
    /// Rules, in the order checked: at most 3 KB (UTF-8 bytes); a single line; only variables HTTP APIs
    /// support (`$context.authorizer.<key>` and `$context.authorizer.claims.<name>` always count as
    /// supported); and at least one of `$context.requestId` or `$context.extendedRequestId`. The messages
    /// follow the wording API Gateway has been seen to return; the length message is Portico's own.
    /// - Parameter webSocket: whether WebSocket APIs' own variables (`$context.connectionId`, `connectedAt`,
    ///   `eventType`, `messageId`, `messageDirection`, `identity.apiKey`, `identity.apiKeyId`) are accepted.
    public static func validate(_ format: String, webSocket: Bool = false) -> String? {
        let bytes = Array(format.utf8)
        if bytes.count > maximumFormatLength {
            return "Access Log format must be at most \(maximumFormatLength) bytes long, but was \(bytes.count) bytes"
        }
        let errorPrefix = "The following errors are found in Access Log Format: "
        if bytes.contains(UInt8(ascii: "\n")) || bytes.contains(UInt8(ascii: "\r")) {
            return errorPrefix + "Access Log format must be single line: '\(format)'"
        }
        var unsupported: [String] = []
        var includesRequestId = false
        for case .variable(let name, let source) in tokenize(bytes) {
            if name == "requestId" || name == "extendedRequestId" {
                includesRequestId = true
            }
            if !AccessLogVariable.isSupported(name: name, webSocket: webSocket) {
                unsupported.append(String(decoding: bytes[source], as: UTF8.self))
            }
        }
        if !unsupported.isEmpty {
            return "The following context variables are not supported: [\(unsupported.joined(separator: ", "))]"
        }
        if !includesRequestId {
            return errorPrefix
                + "Access Log format must include either $context.requestId or $context.extendedRequestId : '\(format)'"
        }
        return nil
    }
}
