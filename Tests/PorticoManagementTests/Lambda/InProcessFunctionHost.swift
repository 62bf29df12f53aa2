import NIOCore
import PorticoLambda
import Synchronization

/// A stand-in function host for the in-process tests only: it records what the management API
/// tells it and answers every invocation with a canned outcome. The real host is tested with
/// real processes in the end-to-end suite.
final class InProcessFunctionHost: FunctionHosting {
    struct State {
        var functions: [String: FunctionConfiguration] = [:]
        var upserts: [FunctionConfiguration] = []
        var removed: [String] = []
        var invocations: [LambdaInvocation] = []
        var outcome: LambdaInvocationOutcome = .completed(LambdaInvocationResponse(payload: ByteBuffer(string: "{}")))
    }

    let state = Mutex(State())

    func upsert(_ function: FunctionConfiguration) {
        state.withLock {
            $0.functions[function.name] = function
            $0.upserts.append(function)
        }
    }

    func remove(functionName: String) {
        state.withLock {
            $0.functions[functionName] = nil
            $0.removed.append(functionName)
        }
    }

    func recentLog(functionName: String, maxBytes: Int) -> String { "" }

    func invoke(_ invocation: LambdaInvocation, on eventLoop: any EventLoop) -> EventLoopFuture<LambdaInvocationOutcome> {
        let outcome = state.withLock { state in
            state.invocations.append(invocation)
            return state.outcome
        }
        return eventLoop.makeSucceededFuture(outcome)
    }

    func answer(_ outcome: LambdaInvocationOutcome) {
        state.withLock { $0.outcome = outcome }
    }

    var functions: [String: FunctionConfiguration] { state.withLock { $0.functions } }
    var upserts: [FunctionConfiguration] { state.withLock { $0.upserts } }
    var removed: [String] { state.withLock { $0.removed } }
    var invocations: [LambdaInvocation] { state.withLock { $0.invocations } }
}
