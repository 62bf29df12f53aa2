import Foundation
import NIOCore
import PorticoLambda
import Testing

extension FunctionHostTests {
    /// A `provided.al2023` function: the shell-and-curl `bootstrap` in Fixtures/provided.
    @Suite struct ProvidedRuntime {
        @Test func theEventArrivesByteForByteAndTheAnswerComesBackUnchanged() async throws {
            try await Harness.withHost { host in
                host.upsert(Harness.provided("echo", mode: "echo"))
                let payload = "{\"b\": [1, 2 ,3],   \"s\":\"\u{e9}\\u00e9 \\n\",\n \"z\" : null }"
                let response = try Harness.completed(try await Harness.invoke(host, "echo", payload))
                #expect(response.statusCode == 200)
                #expect(response.functionError == nil)
                #expect(response.executedVersion == "$LATEST")
                #expect(Array(response.payload.readableBytesView) == Array(payload.utf8))
                #expect(response.logResult == nil)

                let invocation = LambdaInvocation(functionName: "echo", payload: ByteBuffer(string: "{}"))
                let onCallersLoop = try await host.invoke(invocation, on: Harness.caller).map { _ in Harness.caller.inEventLoop }.get()
                #expect(onCallersLoop, "the answer completes on the caller's event loop")
            }
        }

        @Test func aFunctionProcessInheritsNoDescriptorOfPortico() async throws {
            try await Harness.withHost { host in
                // `ls` lists its own descriptors: stdin, stdout, stderr and the directory it reads.
                host.upsert(
                    FunctionConfiguration(
                        name: "fds", arn: host.functionArn("fds"), command: ["sh", "-c", "echo fds: $(ls /proc/self/fd); exit 1"],
                        codeDirectory: Harness.providedDirectory, revision: "1"))
                _ = try Harness.completed(try await Harness.invoke(host, "fds"))
                #expect(host.recentLog(functionName: "fds", maxBytes: 4096).contains("fds: 0 1 2 3\n"))
            }
        }

        @Test func aProcessThatExitsBeforeAskingForAnEventFailsTheInvocation() async throws {
            try await Harness.withHost { host in
                host.upsert(
                    FunctionConfiguration(
                        name: "early", arn: host.functionArn("early"), command: ["sh", "-c", "echo giving up; exit 2"],
                        codeDirectory: Harness.providedDirectory, revision: "1"))
                let response = try Harness.completed(try await Harness.invoke(host, "early", tail: true))
                #expect(response.functionError == "Unhandled")
                let error = try Harness.json(response)
                #expect(error["errorType"] as? String == "Runtime.ExitError")
                #expect((error["errorMessage"] as? String)?.hasSuffix("Error: Runtime exited with error: exit status 2") == true)
                let tail = String(decoding: Data(base64Encoded: response.logResult ?? "") ?? Data(), as: UTF8.self)
                #expect(tail.contains("giving up"), "what a cold start printed belongs to the invocation that waited for it")
                #expect(host.recentLog(functionName: "early", maxBytes: 4096).contains("giving up"))
            }
        }

        @Test func aProcessStaysWarmBetweenInvocationsAndStopsWhenIdle() async throws {
            try await Harness.withHost(idleSeconds: 1) { host in
                host.upsert(Harness.provided("warm", mode: "pid"))
                let first = try Harness.pid(Harness.completed(try await Harness.invoke(host, "warm")))
                let second = try Harness.pid(Harness.completed(try await Harness.invoke(host, "warm")))
                #expect(first == second, "the second invocation should reuse the warm process")
                #expect(await Harness.eventually(within: 5) { !Harness.isAlive(first) }, "the idle process should be stopped")
                let third = try Harness.pid(Harness.completed(try await Harness.invoke(host, "warm")))
                #expect(third != first)
            }
        }

        @Test func aProcessThatExitsMidInvocationFailsItWithRuntimeExitError() async throws {
            try await Harness.withHost { host in
                host.upsert(Harness.provided("crash", mode: "crash"))
                for _ in 0..<2 {  // the second proves a fresh process is started after the crash
                    let response = try Harness.completed(try await Harness.invoke(host, "crash", tail: true))
                    #expect(response.functionError == "Unhandled")
                    let error = try Harness.json(response)
                    #expect(error["errorType"] as? String == "Runtime.ExitError")
                    let message = try #require(error["errorMessage"] as? String)
                    #expect(message.hasPrefix("RequestId: "))
                    #expect(message.hasSuffix(" Error: Runtime exited with error: exit status 3"))
                    let log = String(decoding: Data(base64Encoded: response.logResult ?? "") ?? Data(), as: UTF8.self)
                    #expect(log.contains("crashing on purpose"))
                }
            }
        }

        @Test func anErrorPostedByTheRuntimeIsUnhandledWithItsBody() async throws {
            try await Harness.withHost { host in
                host.upsert(Harness.provided("failing", mode: "error"))
                let response = try Harness.completed(try await Harness.invoke(host, "failing"))
                #expect(response.statusCode == 200)
                #expect(response.functionError == "Unhandled")
                let error = try Harness.json(response)
                #expect(error["errorType"] as? String == "CustomError")
                #expect(error["errorMessage"] as? String == "it went wrong")
            }
        }

        @Test func aResponseOverTheLimitIsFunctionResponseSizeTooLarge() async throws {
            try await Harness.withHost(maxResponseBytes: 1000) { host in
                host.upsert(Harness.provided("big", mode: "big", environment: ["BIG_BYTES": "1001"]))
                let response = try Harness.completed(try await Harness.invoke(host, "big"))
                #expect(response.functionError == "Unhandled")
                #expect(
                    String(buffer: response.payload)
                        == #"{"errorMessage":"Response payload size exceeded maximum allowed payload size (1000 bytes).","errorType":"Function.ResponseSizeTooLarge"}"#
                )
                host.upsert(Harness.provided("big", mode: "big", environment: ["BIG_BYTES": "1000"], revision: "2"))
                let fits = try Harness.completed(try await Harness.invoke(host, "big"))
                #expect(fits.functionError == nil)
                #expect(fits.payload.readableBytes == 1000)
            }
        }

        @Test func aNewRevisionRetiresTheOldProcess() async throws {
            try await Harness.withHost { host in
                host.upsert(Harness.provided("revised", mode: "pid", revision: "1"))
                let old = try Harness.pid(Harness.completed(try await Harness.invoke(host, "revised")))
                host.upsert(Harness.provided("revised", mode: "pid", environment: ["CHANGED": "yes"], revision: "2"))
                let new = try Harness.pid(Harness.completed(try await Harness.invoke(host, "revised")))
                #expect(new != old)
                #expect(await Harness.eventually { !Harness.isAlive(old) }, "the old revision's process should be stopped")
            }
        }

        @Test func theTailLogHoldsTheInvocationsLines() async throws {
            try await Harness.withHost { host in
                host.upsert(Harness.provided("tailed", mode: "echo"))
                let response = try Harness.completed(try await Harness.invoke(host, "tailed", "{}", tail: true))
                let logResult = try #require(response.logResult)
                let tail = String(decoding: try #require(Data(base64Encoded: logResult)), as: UTF8.self)
                let start = try #require(tail.firstRange(of: "START RequestId: "))
                let requestId = String(tail[start.upperBound...].prefix(36))
                #expect(tail.contains("START RequestId: \(requestId) Version: $LATEST"))
                #expect(tail.contains("handling \(requestId)"), "the function's own output belongs to the tail")
                #expect(tail.contains("END RequestId: \(requestId)"))
                #expect(tail.contains("REPORT RequestId: \(requestId)\tDuration: "))
                #expect(tail.contains("\tInit Duration: "), "a cold start reports its init duration")
                #expect(tail.utf8.count <= 4096)

                let log = host.recentLog(functionName: "tailed", maxBytes: 1 << 20)
                #expect(log.contains("bootstrap "), "output before the first event is in the function's log")
                #expect(log.contains("REPORT RequestId: \(requestId)"))
                #expect(host.recentLog(functionName: "tailed", maxBytes: 10).utf8.count == 10)
            }
        }

        @Test func aMissingBootstrapFailsWithInvalidEntrypointAndAnUnknownRuntimeIsRefused() async throws {
            try await Harness.withHost { host in
                var function = Harness.provided("nobootstrap", mode: "echo")
                function.codeDirectory = Harness.fixtures.path
                host.upsert(function)
                let response = try Harness.completed(try await Harness.invoke(host, "nobootstrap"))
                #expect(response.functionError == "Unhandled")
                #expect(try Harness.json(response)["errorType"] as? String == "Runtime.InvalidEntrypoint")

                var node = Harness.provided("node", mode: "echo")
                node.runtime = "nodejs20.x"
                host.upsert(node)
                guard case .rejected(let error) = try await Harness.invoke(host, "node") else {
                    Issue.record("a runtime the host cannot start is refused")
                    return
                }
                #expect(error.statusCode == 502)
                #expect(error.type == "InvalidRuntimeException")
            }
        }

        @Test func aDeclaredCommandRunsInItsWorkingDirectory() async throws {
            try await Harness.withHost { host in
                try FileManager.default.createDirectory(atPath: Harness.scratch, withIntermediateDirectories: true)
                let function = FunctionConfiguration(
                    name: "declared", arn: host.functionArn("declared"), command: ["sh", "./bootstrap"],
                    codeDirectory: Harness.providedDirectory, environment: ["MODE": "echo", "TMPDIR": Harness.scratch], revision: "x")
                host.upsert(function)
                let response = try Harness.completed(try await Harness.invoke(host, "declared", "[1]"))
                #expect(String(buffer: response.payload) == "[1]")
            }
        }
    }
}
