import Foundation
import NIOCore

/// One invocation on its way through a process. Confined to the host's event loop.
final class RunningInvocation {
    let requestId: String
    let invocation: LambdaInvocation
    /// Nil for `Event` invocations, whose caller was answered 202 at once.
    let promise: EventLoopPromise<LambdaInvocationOutcome>?
    /// `Lambda-Runtime-Invoked-Function-Arn`: the function ARN, with the qualifier when one was given.
    let invokedArn: String
    let traceId: String
    var startedAt = NIODeadline.now()
    var deliveredAt: NIODeadline?
    /// Given to a process that was still starting (its REPORT line shows `Init Duration`).
    var coldStart = false
    /// The runtime has answered (`/response`, `/error`, `/init/error`); completion follows.
    var answered = false
    var completed = false
    var timeout: Scheduled<Void>?
    /// This invocation's log lines, the last few KB of them (`X-Amz-Log-Result` is the last 4 KB).
    private(set) var tail: [UInt8] = []

    static let tailBytes = 4096

    init(requestId: String, invocation: LambdaInvocation, promise: EventLoopPromise<LambdaInvocationOutcome>?, invokedArn: String, traceId: String) {
        self.requestId = requestId
        self.invocation = invocation
        self.promise = promise
        self.invokedArn = invokedArn
        self.traceId = traceId
    }

    var wantsTail: Bool { invocation.tailLog && promise != nil }

    func appendLog(_ bytes: some Collection<UInt8>) {
        guard wantsTail else { return }
        tail.append(contentsOf: bytes)
        if tail.count > 2 * Self.tailBytes { tail.removeFirst(tail.count - Self.tailBytes) }
    }

    /// Base64 of the last 4 KB of the invocation's log.
    func logResult() -> String {
        Data(tail.suffix(Self.tailBytes)).base64EncodedString()
    }
}
