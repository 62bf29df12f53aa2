import NIOCore
import PorticoLambda

/// One Lambda invocation made by an integration, with the integration's timeout: the answer, a
/// timeout or a failure reaches `completion` once, on the connection's event loop, unless the
/// call is cancelled first (the client went away).
///
/// The deadline is a scheduled task per call, as for REST backend calls: an invocation costs far
/// more than a timer, and it keeps the HTTP API proxy path's deadline tick untouched. A timed-out
/// invocation is left to finish on its own (the Invoke API has no cancel), its answer dropped.
final class LambdaCall {
    enum Result {
        case outcome(LambdaInvocationOutcome)
        case timedOut
        /// The invoker failed without an Invoke answer (connection refused, broken response).
        case failed(String)
    }

    private var completion: ((Result) -> Void)?
    private var timer: Scheduled<Void>?
    let startedAt = NIODeadline.now()

    func start(
        _ invocation: LambdaInvocation, invoker: any LambdaInvoking, on eventLoop: any EventLoop, timeoutMillis: Int,
        _ completion: @escaping (Result) -> Void
    ) {
        self.completion = completion
        let isolated = eventLoop.assumeIsolated()
        timer = isolated.scheduleTask(in: .milliseconds(Int64(timeoutMillis))) { [self] in
            self.finish(.timedOut)
        }
        invoker.invoke(invocation, on: eventLoop).hop(to: eventLoop).assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success(let outcome): self.finish(.outcome(outcome))
            case .failure(let error): self.finish(.failed("\(error)"))
            }
        }
    }

    /// The client went away: never call back.
    func cancel() {
        completion = nil
        timer?.cancel()
        timer = nil
    }

    private func finish(_ result: Result) {
        timer?.cancel()
        timer = nil
        guard let completion else { return }
        self.completion = nil
        completion(result)
    }
}
