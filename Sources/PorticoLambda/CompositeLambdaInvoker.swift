public import NIOCore

/// An invoker that can say whether it runs a function, so that a composite can pick it. A *new*
/// protocol beside ``LambdaInvoking`` (which stays as it is): the local function host adopts it.
public protocol LambdaFunctionLookup: Sendable {
    /// Whether `name` (a plain function name, as ``LambdaFunctionName`` gives it) is one of this
    /// invoker's functions.
    func hasFunction(named name: String) -> Bool
}

/// Where invocations go: a function the local host knows runs locally; any other goes to the
/// remote Invoke endpoint when one is configured; otherwise Lambda's own answer for a function
/// that does not exist, `404 ResourceNotFoundException`.
///
/// ```swift
/// let lambda = CompositeLambdaInvoker(local: functionHost, remote: RemoteLambdaInvoker(...))
/// ```
public struct CompositeLambdaInvoker: LambdaInvoking {
    public let local: (any LambdaInvoking & LambdaFunctionLookup)?
    public let remote: (any LambdaInvoking)?

    public init(local: (any LambdaInvoking & LambdaFunctionLookup)? = nil, remote: (any LambdaInvoking)? = nil) {
        self.local = local
        self.remote = remote
    }

    public func invoke(_ invocation: LambdaInvocation, on eventLoop: any EventLoop) -> EventLoopFuture<LambdaInvocationOutcome> {
        if let local, local.hasFunction(named: LambdaFunctionName(parsing: invocation.functionName).name) {
            return local.invoke(invocation, on: eventLoop)
        }
        if let remote {
            return remote.invoke(invocation, on: eventLoop)
        }
        return UnavailableLambdaInvoker().invoke(invocation, on: eventLoop)
    }
}

/// Answers every invocation as Lambda answers one for a function that does not exist: used when
/// no function host and no remote endpoint are configured.
public struct UnavailableLambdaInvoker: LambdaInvoking {
    public init() {}

    public func invoke(_ invocation: LambdaInvocation, on eventLoop: any EventLoop) -> EventLoopFuture<LambdaInvocationOutcome> {
        // Lambda's wording: "Function not found: arn:aws:lambda:...:function:name".
        eventLoop.makeSucceededFuture(
            .rejected(
                LambdaServiceError(
                    statusCode: 404, type: "ResourceNotFoundException", message: "Function not found: \(invocation.functionName)")))
    }
}
