import Foundation
import NIOCore
import PorticoLambda
import Testing

extension FunctionHostTests {
    /// `python3.x` functions under AWS's own runtime client, awslambdaric 4.2.2 (AWS_FACTS.md L2).
    @Suite(.enabled(if: Harness.pythonTestsEnabled, "needs awslambdaric in .venv-test (scripts/test installs it)"))
    struct PythonRuntime {
        @Test func theHandlerGetsTheEventTheContextAndLambdasEnvironment() async throws {
            _ = try Harness.requirePython()
            try await Harness.withHost { host in
                host.upsert(Harness.python("py-echo", handler: "handlers.echo", environment: ["GREETING": "hi"]))
                let context = Data(#"{"custom":{"k":"v"}}"#.utf8).base64EncodedString()
                let arn = "arn:aws:lambda:us-east-1:000000000000:function:py-echo:$LATEST"
                let response = try Harness.completed(
                    try await Harness.invoke(host, arn, #"{"hello": "world", "n": [1, 2.5, null]}"#, clientContext: context))
                #expect(response.functionError == nil)
                let result = try Harness.json(response)
                let event = try #require(result["event"] as? [String: Any])
                #expect(event["hello"] as? String == "world")
                #expect((event["n"] as? [Any])?.count == 3)
                #expect(result["functionName"] as? String == "py-echo")
                #expect(result["invokedArn"] as? String == arn)
                #expect((result["requestId"] as? String)?.count == 36)
                #expect((result["clientContext"] as? [String: String]) == ["k": "v"])
                let remaining = try #require(result["remainingMs"] as? Int)
                #expect(remaining > 3000 && remaining <= 5000, "the deadline is the function's 5 s timeout")
                #expect(result["cwd"] as? String == Harness.pythonDirectory)
                let environment = try #require(result["env"] as? [String: Any])
                #expect(environment["AWS_LAMBDA_FUNCTION_NAME"] as? String == "py-echo")
                #expect(environment["AWS_LAMBDA_FUNCTION_VERSION"] as? String == "$LATEST")
                #expect(environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] as? String == "128")
                #expect(environment["AWS_REGION"] as? String == "us-east-1")
                #expect(environment["_HANDLER"] as? String == "handlers.echo")
                #expect(environment["LAMBDA_TASK_ROOT"] as? String == Harness.pythonDirectory)
                #expect(environment["AWS_LAMBDA_LOG_GROUP_NAME"] as? String == "/aws/lambda/py-echo")
                #expect(environment["AWS_EXECUTION_ENV"] as? String == "AWS_Lambda_python3.11")
                #expect(environment["GREETING"] as? String == "hi")
                #expect((environment["_X_AMZN_TRACE_ID"] as? String)?.hasPrefix("Root=1-") == true)
            }
        }

        @Test func aHandlerExceptionIsUnhandledWithItsTypeAndMessage() async throws {
            _ = try Harness.requirePython()
            try await Harness.withHost { host in
                host.upsert(Harness.python("py-fail", handler: "handlers.fail"))
                let response = try Harness.completed(try await Harness.invoke(host, "py-fail"))
                #expect(response.statusCode == 200)
                #expect(response.functionError == "Unhandled")
                let error = try Harness.json(response)
                #expect(error["errorType"] as? String == "ValueError")
                #expect(error["errorMessage"] as? String == "kaboom")
                #expect(error["stackTrace"] is [Any])
            }
        }

        @Test func aMissingModuleIsAnInitErrorRuntimeImportModuleError() async throws {
            _ = try Harness.requirePython()
            try await Harness.withHost { host in
                host.upsert(Harness.python("py-init", handler: "no_such_module.handler"))
                let response = try Harness.completed(try await Harness.invoke(host, "py-init"))
                #expect(response.functionError == "Unhandled")
                let error = try Harness.json(response)
                #expect(error["errorType"] as? String == "Runtime.ImportModuleError")
                #expect((error["errorMessage"] as? String)?.contains("no_such_module") == true)
            }
        }

        @Test func aTimeoutKillsTheProcessGroupAndTheNextInvocationGetsAFreshProcess() async throws {
            _ = try Harness.requirePython()
            try await Harness.withHost { host in
                host.upsert(Harness.python("py-hang", handler: "handlers.hang", timeout: 1))
                let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("portico-hang-\(UUID().uuidString)").path
                defer { try? FileManager.default.removeItem(atPath: pidFile) }
                let started = Date()
                let response = try Harness.completed(try await Harness.invoke(host, "py-hang", #"{"pidFile": "\#(pidFile)"}"#, tail: true))
                #expect(Date().timeIntervalSince(started) < 6)
                #expect(response.functionError == "Unhandled")
                let error = try Harness.json(response)
                #expect(error["errorType"] as? String == "Sandbox.Timedout")
                let message = try #require(error["errorMessage"] as? String)
                #expect(message.hasPrefix("RequestId: ") && message.hasSuffix(" Error: Task timed out after 1.00 seconds"))
                let tail = String(decoding: Data(base64Encoded: response.logResult ?? "") ?? Data(), as: UTF8.self)
                #expect(tail.contains("Task timed out after 1.00 seconds"))
                #expect(tail.contains("Status: timeout"))

                let pids = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: pidFile))) as? [String: Int])
                let pid = pid_t(try #require(pids["pid"]))
                let child = pid_t(try #require(pids["child"]))
                #expect(await Harness.eventually { !Harness.isAlive(pid) && !Harness.isAlive(child) }, "the function and its child are killed")

                let next = try Harness.completed(try await Harness.invoke(host, "py-hang", "{}"))
                #expect(next.functionError == nil)
                #expect(try Harness.pid(next) != pid)
            }
        }

        @Test func aProcessThatDiesMidInvocationIsRuntimeExitError() async throws {
            _ = try Harness.requirePython()
            try await Harness.withHost { host in
                host.upsert(Harness.python("py-crash", handler: "handlers.crash"))
                let response = try Harness.completed(try await Harness.invoke(host, "py-crash", tail: true))
                #expect(response.functionError == "Unhandled")
                let error = try Harness.json(response)
                #expect(error["errorType"] as? String == "Runtime.ExitError")
                #expect((error["errorMessage"] as? String)?.hasSuffix("Error: Runtime exited with error: exit status 7") == true)
                let tail = String(decoding: Data(base64Encoded: response.logResult ?? "") ?? Data(), as: UTF8.self)
                #expect(tail.contains("about to crash"))
            }
        }

        @Test func aProcessOverItsMemorySizeIsKilledWithRuntimeOutOfMemory() async throws {
            _ = try Harness.requirePython()
            try await Harness.withHost { host in
                host.upsert(Harness.python("py-hog", handler: "handlers.hog", timeout: 30))
                // 200 MB resident against the default 128 MB, held for 20 s: only the watch ends it early.
                let response = try Harness.completed(try await Harness.invoke(host, "py-hog", #"{"mb": 200, "hold": 20}"#, tail: true))
                #expect(response.functionError == "Unhandled")
                let error = try Harness.json(response)
                #expect(error["errorType"] as? String == "Runtime.OutOfMemory")
                let message = try #require(error["errorMessage"] as? String)
                #expect(message.hasPrefix("RequestId: ") && message.hasSuffix(" Error: Runtime exited with error: signal: killed"))
                let tail = String(decoding: Data(base64Encoded: response.logResult ?? "") ?? Data(), as: UTF8.self)
                #expect(tail.contains("Status: error\tError Type: Runtime.OutOfMemory"))

                // A fresh process serves the next invocation.
                let next = try Harness.completed(try await Harness.invoke(host, "py-hog", #"{"mb": 1, "hold": 0}"#))
                #expect(next.functionError == nil)
            }
        }

        @Test func withTheMemoryWatchOffAProcessMayUseMoreThanItsSize() async throws {
            _ = try Harness.requirePython()
            try await Harness.withHost(memoryCheckMilliseconds: 0) { host in
                host.upsert(Harness.python("py-hog-free", handler: "handlers.hog", timeout: 30))
                let response = try Harness.completed(try await Harness.invoke(host, "py-hog-free", #"{"mb": 200, "hold": 0.5}"#))
                #expect(response.functionError == nil)
                #expect(try Harness.json(response)["bytes"] as? Int == 200 * 1024 * 1024)
            }
        }

        @Test func aWarmPythonProcessServesSuccessiveInvocations() async throws {
            _ = try Harness.requirePython()
            try await Harness.withHost { host in
                host.upsert(Harness.python("py-pid", handler: "handlers.pid"))
                let first = try Harness.pid(Harness.completed(try await Harness.invoke(host, "py-pid")))
                let second = try Harness.pid(Harness.completed(try await Harness.invoke(host, "py-pid")))
                #expect(first == second)
            }
        }
    }
}
