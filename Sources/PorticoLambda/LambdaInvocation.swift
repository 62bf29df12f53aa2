public import NIOCore

/// One call of a function, as the Lambda Invoke API describes it (`../shared/AWS_FACTS.md` L3).
/// The data plane (integrations, authorizers) and the management listener's Invoke operation
/// both build one of these; a `LambdaInvoking` runs it locally or remotely.
public struct LambdaInvocation: Sendable {
    /// A name, a full or partial ARN, optionally with `:qualifier` (as Invoke's `FunctionName`).
    public var functionName: String
    /// Invoke's `Qualifier` query parameter, when it was given separately.
    public var qualifier: String?
    /// The event bytes, exactly as the function receives them.
    public var payload: ByteBuffer
    public var invocationType: LambdaInvocationType
    /// `X-Amz-Log-Type: Tail`: return the last 4 KB of the invocation's log.
    public var tailLog: Bool
    /// `X-Amz-Client-Context` as sent (base64 of JSON); the runtime gets it decoded.
    public var clientContext: String?
    /// The X-Ray trace header passed to the runtime as `Lambda-Runtime-Trace-Id`.
    public var traceId: String?

    public init(
        functionName: String, qualifier: String? = nil, payload: ByteBuffer,
        invocationType: LambdaInvocationType = .requestResponse, tailLog: Bool = false,
        clientContext: String? = nil, traceId: String? = nil
    ) {
        self.functionName = functionName
        self.qualifier = qualifier
        self.payload = payload
        self.invocationType = invocationType
        self.tailLog = tailLog
        self.clientContext = clientContext
        self.traceId = traceId
    }
}

/// `X-Amz-Invocation-Type`.
public enum LambdaInvocationType: String, Sendable {
    case requestResponse = "RequestResponse"
    case event = "Event"
    case dryRun = "DryRun"
}

/// What an invocation came to: either the function ran (successfully or not), or the Lambda
/// service refused to run it. The two are different for API Gateway: a refusal is a 500 on a
/// REST `AWS_PROXY` integration, a function error a 502 (AWS_FACTS.md L4).
public enum LambdaInvocationOutcome: Sendable {
    case completed(LambdaInvocationResponse)
    case rejected(LambdaServiceError)
}

/// The Invoke API's success answer.
public struct LambdaInvocationResponse: Sendable {
    /// 200 for RequestResponse, 202 for Event, 204 for DryRun.
    public var statusCode: Int
    /// The function's result, or its error JSON (`{"errorMessage","errorType",...}`).
    public var payload: ByteBuffer
    /// `X-Amz-Function-Error`: `Unhandled` or `Handled` when the function failed, else nil.
    public var functionError: String?
    /// `X-Amz-Log-Result`: base64 of the last 4 KB of the log, when a tail was asked for.
    public var logResult: String?
    /// `X-Amz-Executed-Version`.
    public var executedVersion: String
    /// The invocation's request id (`x-amzn-RequestId` of the Invoke answer; the id in its
    /// START/END/REPORT lines), when known: API Gateway logs it as `$context.integration.requestId`.
    public var requestId: String?

    public init(
        statusCode: Int = 200, payload: ByteBuffer, functionError: String? = nil, logResult: String? = nil,
        executedVersion: String = "$LATEST", requestId: String? = nil
    ) {
        self.statusCode = statusCode
        self.payload = payload
        self.functionError = functionError
        self.logResult = logResult
        self.executedVersion = executedVersion
        self.requestId = requestId
    }
}

/// A refusal by the Lambda service, in the Invoke API's error shape: HTTP status,
/// `x-amzn-ErrorType` (`ResourceNotFoundException`, `TooManyRequestsException`, ...) and message.
public struct LambdaServiceError: Error, Sendable, Equatable {
    public var statusCode: Int
    public var type: String
    public var message: String
    /// The body's `Reason`, where AWS gives one: `TooManyRequestsException` carries the throttle
    /// reason (`ReservedFunctionConcurrentInvocationLimitExceeded`, `ConcurrentInvocationLimitExceeded`).
    public var reason: String?

    public init(statusCode: Int, type: String, message: String, reason: String? = nil) {
        self.statusCode = statusCode
        self.type = type
        self.message = message
        self.reason = reason
    }
}

/// Runs invocations. Implemented by the local function host and by the remote (SigV4) invoker;
/// callers on an event loop get their answer on that loop.
public protocol LambdaInvoking: Sendable {
    func invoke(_ invocation: LambdaInvocation, on eventLoop: any EventLoop) -> EventLoopFuture<LambdaInvocationOutcome>
}
