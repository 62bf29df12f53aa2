import Foundation
import NIOCore
import PorticoModel

/// The Lambda service's own words: Invoke's refusals, and the error payloads it makes up when
/// a function could not give one itself. Each cites where AWS's exact text was found.
enum LambdaMessages {
    /// Invoke of an unknown function (or version): 404 `ResourceNotFoundException`,
    /// "Function not found: arn:aws:lambda:us-west-2:123456789012:function:my-function[:qualifier]"
    /// (Lambda API reference, Invoke errors; the same text in moto's and SAM's recordings).
    static func functionNotFound(arn: String) -> LambdaServiceError {
        LambdaServiceError(statusCode: 404, type: "ResourceNotFoundException", message: "Function not found: \(arn)")
    }

    /// Beyond the function's concurrency: 429 `TooManyRequestsException` with the body
    /// `{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}`
    /// (botocore's `TooManyRequestsException` shape; `ConcurrentInvocationLimitExceeded` when the
    /// limit is the account's, here the host-wide default).
    static func throttled(reserved: Bool) -> LambdaServiceError {
        LambdaServiceError(
            statusCode: 429, type: "TooManyRequestsException", message: "Rate Exceeded.",
            reason: reserved ? "ReservedFunctionConcurrentInvocationLimitExceeded" : "ConcurrentInvocationLimitExceeded")
    }

    /// A `FunctionName` whose `:qualifier` disagrees with the `Qualifier` parameter.
    static func qualifierMismatch() -> LambdaServiceError {
        LambdaServiceError(
            statusCode: 400, type: "InvalidParameterValueException",
            message: "The derived qualifier from the function name does not match the specified qualifier.")
    }

    /// A runtime the host cannot start (AWS: 502 `InvalidRuntimeException`).
    static func invalidRuntime(_ runtime: String) -> LambdaServiceError {
        LambdaServiceError(
            statusCode: 502, type: "InvalidRuntimeException",
            message:
                "The runtime parameter of \(runtime) is not supported by Portico's function host. Use provided.al2023, python3.x, or declare a command."
        )
    }

    /// The payload of a timed-out invocation, as the Invoke API returns it today (with
    /// `X-Amz-Function-Error: Unhandled`): `{"errorType":"Sandbox.Timedout","errorMessage":
    /// "RequestId: <id> Error: Task timed out after 3.00 seconds"}`. N.NN is the configured timeout.
    static func timedOut(requestId: String, timeoutSeconds: Double) -> ByteBuffer {
        errorPayload(type: "Sandbox.Timedout", message: "RequestId: \(requestId) Error: Task timed out after \(seconds(timeoutSeconds)) seconds")
    }

    /// The log line AWS writes on a timeout: "2020-11-10T05:46:57.874Z <id> Task timed out after 3.00 seconds".
    static func timedOutLogLine(requestId: String, timeoutSeconds: Double) -> String {
        "\(timestamp()) \(requestId) Task timed out after \(seconds(timeoutSeconds)) seconds"
    }

    /// A runtime that exited during an invocation (or before its first `/next` without posting
    /// an init error): `{"errorType":"Runtime.ExitError","errorMessage":"RequestId: <id> Error:
    /// Runtime exited with error: exit status 1"}`; a clean exit says "Runtime exited without
    /// providing a reason" (both as recorded in awslambdaric's and aws-lambda-swift-sprinter's issues).
    static func exited(requestId: String, exit: ProcessExit) -> ByteBuffer {
        let reason = exit == .exited(0) ? "Runtime exited without providing a reason" : "Runtime exited with error: \(exit)"
        return errorPayload(type: "Runtime.ExitError", message: "RequestId: \(requestId) Error: \(reason)")
    }

    /// A process killed for using more than its memory size. AWS answers
    /// `{"errorType":"Runtime.OutOfMemory","errorMessage":"RequestId: … Error: Runtime exited with
    /// error: signal: killed"}` (its cgroup's OOM killer sends SIGKILL).
    static func outOfMemory(requestId: String) -> ByteBuffer {
        errorPayload(type: "Runtime.OutOfMemory", message: "RequestId: \(requestId) Error: Runtime exited with error: signal: killed")
    }

    /// A response over the limit: `{"errorMessage":"Response payload size exceeded maximum allowed
    /// payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}` (moto's
    /// recording of AWS; key order as AWS writes it).
    static func responseTooLarge(limit: Int) -> ByteBuffer {
        ByteBuffer(
            string:
                "{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (\(limit) bytes).\",\"errorType\":\"Function.ResponseSizeTooLarge\"}"
        )
    }

    /// A `provided` runtime without an executable `bootstrap` (AWS: `Runtime.InvalidEntrypoint`,
    /// "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]").
    static func invalidEntrypoint(requestId: String, detail: String) -> ByteBuffer {
        errorPayload(type: "Runtime.InvalidEntrypoint", message: "RequestId: \(requestId) Error: \(detail)")
    }

    static func errorPayload(type: String, message: String) -> ByteBuffer {
        ByteBuffer(string: "{\"errorType\":\(JSONText.quoted(type)),\"errorMessage\":\(JSONText.quoted(message))}")
    }

    /// `3` → "3.00", as AWS prints timeouts.
    static func seconds(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    /// `2020-11-10T05:46:57.874Z`.
    static func timestamp(_ date: Date = Date()) -> String {
        var style = Date.ISO8601FormatStyle(timeZone: .gmt)
        style = style.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon)
        return date.formatted(style)
    }
}
