import Foundation
import NIOCore

/// The Runtime API as the host serves it (AWS_FACTS.md L1, L2), and the life of an invocation
/// on a process: assigned, delivered on `/next`, answered, completed.
extension HostState {
    /// Gives `running` to `worker`; it is delivered at once if the process is waiting in
    /// `/next`, else on its next `/next`.
    func assign(_ running: RunningInvocation, to worker: FunctionWorker) {
        worker.idleTimer?.cancel()
        worker.idleTimer = nil
        worker.current = running
        running.startedAt = .now()
        running.coldStart = worker.phase == .starting
        let function = worker.function.configuration
        logLine("START RequestId: \(running.requestId) Version: \(function.version)", worker: worker, running: running)
        // A process still starting gets the init allowance on top of the timeout; the deadline
        // is reset to the function's timeout when the event is delivered.
        let allowance = worker.phase == .starting ? configuration.initTimeoutSeconds : 0
        scheduleTimeout(running, on: worker, seconds: Double(function.timeoutSeconds) + allowance)
        if let parked = worker.parkedNext {
            worker.parkedNext = nil
            deliver(running, to: worker, via: parked)
        }
    }

    func runtimeCall(_ call: RuntimeCall, worker: FunctionWorker, responder: RuntimeResponder) {
        switch call {
        case .next:
            next(worker: worker, responder: responder)
        case .response(let requestId, let body):
            guard let running = answerable(requestId, worker: worker, responder: responder) else { return }
            responder.accepted()
            answered(running, on: worker, payload: body, functionError: nil)
        case .error(let requestId, let body, let errorType):
            guard let running = answerable(requestId, worker: worker, responder: responder) else { return }
            responder.accepted()
            // awslambdaric sends no Lambda-Runtime-Function-Error-Type on /error: errorType is
            // read from the body, which is passed on as the payload (L2).
            answered(running, on: worker, payload: Self.errorBody(body, errorType: errorType), functionError: "Unhandled")
        case .tooLarge(let requestId):
            guard let running = answerable(requestId, worker: worker, responder: responder) else { return }
            // RAPID answers 413; the invocation fails as AWS fails an oversized response.
            responder.error(
                .payloadTooLarge, type: "RequestEntityTooLarge", message: "The response is larger than \(configuration.maxRuntimeBodyBytes) bytes")
            answered(
                running, on: worker, payload: LambdaMessages.responseTooLarge(limit: configuration.maxRuntimeBodyBytes), functionError: "Unhandled")
        case .initError(let body, let errorType):
            initError(worker: worker, body: Self.errorBody(body, errorType: errorType), responder: responder)
        case .unknown(let method, let path):
            responder.error(.notFound, type: "InvalidRequest", message: "\(method) \(path) is not part of the Lambda Runtime API")
        }
    }

    /// `GET /runtime/invocation/next`: the event if one is assigned, else wait (long poll).
    private func next(worker: FunctionWorker, responder: RuntimeResponder) {
        if worker.phase == .starting {
            worker.phase = .ready
            worker.initDuration = NIODeadline.now() - worker.launchedAt
        }
        guard worker.phase == .ready else {
            // Being stopped: leave the call unanswered; the process is about to be killed.
            return
        }
        if let running = worker.current {
            guard running.deliveredAt == nil else {
                // A second /next before answering the first event: RAPID refuses the transition.
                responder.error(
                    .forbidden, type: "InvalidStateTransition",
                    message: "State transition from Running to Ready failed: the invocation \(running.requestId) has not been answered")
                return
            }
            deliver(running, to: worker, via: responder)
        } else {
            worker.parkedNext = responder
            if worker.idleTimer == nil { startIdleTimer(worker) }
        }
    }

    /// Answers `/next` with the event: the payload bytes unchanged, `Content-Type:
    /// application/json` exactly (awslambdaric decodes only that, L2) and the context headers.
    private func deliver(_ running: RunningInvocation, to worker: FunctionWorker, via responder: RuntimeResponder) {
        guard responder.isUsable else {
            // The connection went away (the process is dying); the exit report fails the invocation.
            return
        }
        let function = worker.function.configuration
        running.deliveredAt = .now()
        scheduleTimeout(running, on: worker, seconds: Double(function.timeoutSeconds))
        let deadline = Int64((Date().timeIntervalSince1970 + Double(function.timeoutSeconds)) * 1000)
        var headers: [(String, String)] = [
            ("Lambda-Runtime-Aws-Request-Id", running.requestId),
            ("Lambda-Runtime-Deadline-Ms", String(deadline)),
            ("Lambda-Runtime-Invoked-Function-Arn", running.invokedArn),
            ("Lambda-Runtime-Trace-Id", running.traceId),
        ]
        // X-Amz-Client-Context arrives base64-encoded; the runtime gets the JSON itself.
        if let encoded = running.invocation.clientContext, let data = Data(base64Encoded: encoded),
            let json = String(data: data, encoding: .utf8)
        {
            headers.append(("Lambda-Runtime-Client-Context", json))
        }
        responder.send(.ok, headers: headers, body: running.invocation.payload)
    }

    /// The invocation a `/response` or `/error` for `requestId` answers, or nil (and a refusal)
    /// when this process has no such invocation in flight.
    private func answerable(_ requestId: String, worker: FunctionWorker, responder: RuntimeResponder) -> RunningInvocation? {
        guard let running = worker.current, running.requestId == requestId, running.deliveredAt != nil, !running.answered else {
            responder.error(.badRequest, type: "InvalidRequestID", message: "Invalid request ID \(requestId)")
            return nil
        }
        return running
    }

    /// `POST /runtime/init/error`: 202 (exactly; L2), then the waiting invocation fails with the
    /// posted error (e.g. `Runtime.ImportModuleError`), and the process is not reused.
    private func initError(worker: FunctionWorker, body: ByteBuffer, responder: RuntimeResponder) {
        responder.accepted()
        worker.initError = body
        logLine("INIT_REPORT Status: error\tError Type: \(Self.errorType(of: body) ?? "Runtime.Unknown")", worker: worker)
        if let running = worker.current, running.deliveredAt == nil, !running.answered {
            answered(running, on: worker, payload: body, functionError: "Unhandled")
        }
        // awslambdaric exits after an init error; a runtime that lingers is stopped shortly after.
        loop.assumeIsolated().scheduleTask(in: .milliseconds(500)) {
            self.stop(worker, reason: "init error")
        }
    }

    /// Records the runtime's answer now (so no second answer or timeout can race it) and completes
    /// the invocation on the next loop turn, after output the process wrote just before
    /// answering (ready on the pipe in the same poll) has reached the log.
    private func answered(_ running: RunningInvocation, on worker: FunctionWorker, payload: ByteBuffer, functionError: String?) {
        running.answered = true
        running.timeout?.cancel()
        loop.assumeIsolated().execute {
            self.finish(running, on: worker, payload: payload, functionError: functionError)
        }
    }

    /// Completes an invocation: `END` and `REPORT` lines, the caller's answer, then the process
    /// either takes the next queued event, waits warm, or is retired.
    func finish(
        _ running: RunningInvocation, on worker: FunctionWorker, payload: ByteBuffer, functionError: String?, status: String? = nil,
        errorType: String? = nil
    ) {
        guard !running.completed else { return }
        running.completed = true
        running.timeout?.cancel()
        let function = worker.function.configuration
        logLine("END RequestId: \(running.requestId)", worker: worker, running: running)
        logLine(reportLine(running, worker: worker, status: status, errorType: errorType), worker: worker, running: running)
        if worker.current === running { worker.current = nil }
        running.promise?.succeed(
            .completed(
                LambdaInvocationResponse(
                    statusCode: 200, payload: payload, functionError: functionError,
                    logResult: running.wantsTail ? running.logResult() : nil, executedVersion: function.version,
                    requestId: running.requestId)))

        guard worker.phase == .ready || worker.phase == .starting else { return }
        let current = functions[function.name] === worker.function && worker.revision == worker.function.configuration.revision
        if worker.retireAfterInvocation || !current || worker.initError != nil {
            stop(worker, reason: "retired")
            return
        }
        dispatchQueued(worker.function)
        if worker.current == nil { startIdleTimer(worker) }
    }

    /// `REPORT RequestId: … Duration: 1.23 ms Billed Duration: 2 ms Memory Size: 128 MB Max Memory Used: 40 MB`,
    /// with `Init Duration` on a cold start, `Status: timeout` after one and `Status: error` with
    /// `Error Type: …` after a runtime failure such as running out of memory, tab-separated as AWS writes it.
    private func reportLine(_ running: RunningInvocation, worker: FunctionWorker, status: String?, errorType: String?) -> String {
        let started = running.deliveredAt ?? running.startedAt
        let nanos = (NIODeadline.now() - started).nanoseconds
        let function = worker.function.configuration
        var line = "REPORT RequestId: \(running.requestId)\tDuration: \(Self.milliseconds(nanos)) ms"
        line += "\tBilled Duration: \((nanos + 999_999) / 1_000_000) ms\tMemory Size: \(function.memorySizeMB) MB"
        line += "\tMax Memory Used: \(ProcessLauncher.peakMemoryMB(worker.pid) ?? 0) MB"
        if running.coldStart, let initDuration = worker.initDuration {
            line += "\tInit Duration: \(Self.milliseconds(initDuration.nanoseconds)) ms"
        }
        if let status { line += "\tStatus: \(status)" }
        if let errorType { line += "\tError Type: \(errorType)" }
        return line
    }

    /// `1.23`: nanoseconds as milliseconds with two decimals (rounded), without `String(format:)`.
    static func milliseconds(_ nanoseconds: Int64) -> String {
        let hundredths = (max(0, nanoseconds) + 5_000) / 10_000
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    private func scheduleTimeout(_ running: RunningInvocation, on worker: FunctionWorker, seconds: Double) {
        running.timeout?.cancel()
        running.timeout = loop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) {
            self.timedOut(running, on: worker)
        }
    }

    /// The function's timeout passed: kill the process group (a fresh process serves the next
    /// invocation) and answer AWS's timeout payload with `Unhandled` (L1 "Timeouts").
    private func timedOut(_ running: RunningInvocation, on worker: FunctionWorker) {
        guard worker.current === running, !running.answered else { return }
        running.answered = true
        let timeout = Double(worker.function.configuration.timeoutSeconds)
        stop(worker, reason: "timed out")
        logLine(LambdaMessages.timedOutLogLine(requestId: running.requestId, timeoutSeconds: timeout), worker: worker)
        finish(
            running, on: worker, payload: LambdaMessages.timedOut(requestId: running.requestId, timeoutSeconds: timeout),
            functionError: "Unhandled", status: "timeout")
    }

    /// The error body as posted, or, when a runtime posted none, one made from its
    /// `Lambda-Runtime-Function-Error-Type` header.
    static func errorBody(_ body: ByteBuffer, errorType: String?) -> ByteBuffer {
        if body.readableBytes > 0 { return body }
        return LambdaMessages.errorPayload(type: errorType ?? "Runtime.Unknown", message: "The runtime reported an error without a body")
    }

    /// `errorType` of an error body, for the log.
    static func errorType(of body: ByteBuffer) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else { return nil }
        return object["errorType"] as? String
    }
}
