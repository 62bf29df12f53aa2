import NIOCore
import Testing

@testable import PorticoLambda

/// The payloads the host makes up itself, in AWS's words.
struct LambdaMessagesTests {
    @Test func timeoutPayload() {
        let payload = LambdaMessages.timedOut(requestId: "rid", timeoutSeconds: 3)
        #expect(
            String(buffer: payload) == #"{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: rid Error: Task timed out after 3.00 seconds"}"#)
    }

    @Test func exitPayloads() {
        #expect(
            String(buffer: LambdaMessages.exited(requestId: "rid", exit: .exited(1)))
                == #"{"errorType":"Runtime.ExitError","errorMessage":"RequestId: rid Error: Runtime exited with error: exit status 1"}"#)
        #expect(
            String(buffer: LambdaMessages.exited(requestId: "rid", exit: .exited(0)))
                == #"{"errorType":"Runtime.ExitError","errorMessage":"RequestId: rid Error: Runtime exited without providing a reason"}"#)
        #expect(ProcessExit(waitStatus: 9).description == "signal: killed")
        #expect(ProcessExit(waitStatus: 11).description == "signal: segmentation fault")
        #expect(ProcessExit(waitStatus: 7 << 8) == .exited(7))
    }

    @Test func refusals() {
        #expect(
            LambdaMessages.functionNotFound(arn: "arn:aws:lambda:us-east-1:000000000000:function:x")
                == LambdaServiceError(
                    statusCode: 404, type: "ResourceNotFoundException",
                    message: "Function not found: arn:aws:lambda:us-east-1:000000000000:function:x"))
        #expect(LambdaMessages.throttled(reserved: true).reason == "ReservedFunctionConcurrentInvocationLimitExceeded")
        #expect(LambdaMessages.throttled(reserved: false).reason == "ConcurrentInvocationLimitExceeded")
        #expect(LambdaMessages.throttled(reserved: true).message == "Rate Exceeded.")
    }

    @Test func theLogRingKeepsTheNewestBytes() {
        var ring = LogRing(capacity: 8)
        ring.append(Array("0123456789".utf8))
        ring.append(Array("abc".utf8))
        #expect(String(decoding: ring.last(100), as: UTF8.self) == "56789abc")
        #expect(String(decoding: ring.last(3), as: UTF8.self) == "abc")
    }
}
