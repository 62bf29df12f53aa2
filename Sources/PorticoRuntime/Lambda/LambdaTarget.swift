public import PorticoModel

/// The function an `AWS`/`AWS_PROXY` integration invokes, parsed once per deployment from the
/// integration URI (after stage variables are substituted).
///
/// AWS accepts two spellings of a Lambda integration URI: the function ARN itself (HTTP APIs:
/// "For a Lambda integration, specify the ARN of the Lambda function") and API Gateway's
/// invocation URI that wraps it,
/// `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations`
/// (the only form REST APIs take). The function ARN may carry a qualifier
/// (`...:function:name:alias`), which Invoke's `FunctionName` accepts as it is.
public struct LambdaTarget: Sendable, Equatable {
    /// What goes in Invoke's `FunctionName`: the function ARN (or name) as the URI gave it.
    public let functionName: String
    /// The region named in the URI, if any (informational; the invoker's configuration decides).
    public let region: String?

    public init(functionName: String, region: String? = nil) {
        self.functionName = functionName
        self.region = region
    }

    public init(uri: String) throws(APIError) {
        let parts = uri.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws") else {
            throw .badRequest("Invalid Lambda integration URI: \(uri)")
        }
        switch parts[2] {
        case "lambda":
            // arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}]
            guard parts[5].hasPrefix("function:"), parts[5].count > "function:".count else {
                throw .badRequest("Invalid Lambda function ARN: \(uri)")
            }
            self.init(functionName: uri, region: parts[3].isEmpty ? nil : String(parts[3]))
        case "apigateway":
            // arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations
            let path = parts[5]
            let prefix = "path/2015-03-31/functions/"
            let suffix = "/invocations"
            guard parts[4] == "lambda", path.hasPrefix(prefix), path.hasSuffix(suffix),
                path.count > prefix.count + suffix.count
            else {
                throw .badRequest("Invalid Lambda invocation URI: \(uri)")
            }
            let function = String(path.dropFirst(prefix.count).dropLast(suffix.count))
            // The wrapped ARN is itself checked: API Gateway refuses anything but a function.
            let inner = try LambdaTarget(uri: function)
            self.init(functionName: inner.functionName, region: inner.region ?? (parts[3].isEmpty ? nil : String(parts[3])))
        default:
            throw .badRequest("Invalid Lambda integration URI: \(uri)")
        }
    }
}

/// `payloadFormatVersion` of an HTTP API Lambda proxy integration: the event's shape and how the
/// function's answer is read (AWS: "Create AWS Lambda proxy integrations for HTTP APIs").
public enum LambdaPayloadVersion: String, Sendable {
    case v1 = "1.0"
    case v2 = "2.0"
}
