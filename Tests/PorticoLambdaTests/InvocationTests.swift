import Foundation
import NIOCore
import PorticoLambda
import Testing

extension FunctionHostTests {
    /// Invoke as AWS answers it: concurrency limits, Event and DryRun, function names.
    @Suite struct Invocation {
        @Test func beyondReservedConcurrencyInvokeIsThrottledWith429() async throws {
            try await Harness.withHost { host in
                host.upsert(Harness.provided("busy", mode: "sleep", environment: ["SLEEP_SECONDS": "2"], concurrency: 2))
                async let first = Harness.invoke(host, "busy")
                async let second = Harness.invoke(host, "busy")
                try await Task.sleep(for: .milliseconds(300))
                // Both processes are still starting or busy: that counts toward concurrency.
                let third = try await Harness.invoke(host, "busy")
                guard case .rejected(let error) = third else {
                    Issue.record("expected a throttle, got \(third)")
                    return
                }
                #expect(
                    error
                        == LambdaServiceError(
                            statusCode: 429, type: "TooManyRequestsException", message: "Rate Exceeded.",
                            reason: "ReservedFunctionConcurrentInvocationLimitExceeded"))
                let pids = try await [Harness.pid(Harness.completed(first)), Harness.pid(Harness.completed(second))]
                #expect(pids[0] != pids[1], "two concurrent invocations run in two processes")
                let fourth = try Harness.pid(Harness.completed(try await Harness.invoke(host, "busy")))
                #expect(pids.contains(fourth), "once one is free, a warm process takes the next invocation")
            }
        }

        @Test func theHostDefaultLimitAndZeroReservedConcurrencyThrottleToo() async throws {
            try await Harness.withHost(defaultConcurrency: 1) { host in
                host.upsert(Harness.provided("single", mode: "sleep", environment: ["SLEEP_SECONDS": "1"]))
                host.upsert(Harness.provided("disabled", mode: "echo", concurrency: 0))
                async let first = Harness.invoke(host, "single")
                try await Task.sleep(for: .milliseconds(200))
                guard case .rejected(let error) = try await Harness.invoke(host, "single") else {
                    Issue.record("the second invocation should be throttled")
                    return
                }
                #expect(error.statusCode == 429)
                #expect(error.reason == "ConcurrentInvocationLimitExceeded")
                _ = try Harness.completed(try await first)
                guard case .rejected(let zero) = try await Harness.invoke(host, "disabled") else {
                    Issue.record("reserved concurrency 0 throttles every invocation")
                    return
                }
                #expect(zero.reason == "ReservedFunctionConcurrentInvocationLimitExceeded")
            }
        }

        @Test func eventIsAcceptedAtOnceAndRunsInTheBackgroundDryRunRunsNothing() async throws {
            try await Harness.withHost { host in
                host.upsert(Harness.provided("background", mode: "touch"))
                let marker = FileManager.default.temporaryDirectory.appendingPathComponent("portico-event-\(UUID().uuidString)").path
                defer { try? FileManager.default.removeItem(atPath: marker) }

                let dryRun = try Harness.completed(try await Harness.invoke(host, "background", marker, type: .dryRun))
                #expect(dryRun.statusCode == 204)
                #expect(dryRun.payload.readableBytes == 0)
                #expect(!host.recentLog(functionName: "background", maxBytes: 1 << 20).contains("START"), "DryRun runs nothing")

                let event = try Harness.completed(try await Harness.invoke(host, "background", marker, type: .event))
                #expect(event.statusCode == 202)
                #expect(event.payload.readableBytes == 0)
                #expect(!FileManager.default.fileExists(atPath: marker), "202 comes before the function has run")
                #expect(await Harness.eventually { FileManager.default.fileExists(atPath: marker) })

                guard case .rejected(let missing) = try await Harness.invoke(host, "nothere", type: .event) else {
                    Issue.record("an Event for an unknown function is refused like any other")
                    return
                }
                #expect(missing.statusCode == 404)
            }
        }

        @Test func functionNamesResolveAsInvokeAcceptsThem() async throws {
            try await Harness.withHost { host in
                host.upsert(Harness.provided("named", mode: "echo"))
                for name in [
                    "named", "named:$LATEST", "000000000000:function:named", "arn:aws:lambda:us-east-1:000000000000:function:named",
                    "arn:aws:lambda:us-east-1:000000000000:function:named:$LATEST",
                ] {
                    let response = try Harness.completed(try await Harness.invoke(host, name, "\"\(name)\""))
                    #expect(String(buffer: response.payload) == "\"\(name)\"")
                }
                let notFound: [(String, String?, String)] = [
                    ("nope", nil, "arn:aws:lambda:us-east-1:000000000000:function:nope"),
                    ("named", "prod", "arn:aws:lambda:us-east-1:000000000000:function:named:prod"),
                    ("named:7", nil, "arn:aws:lambda:us-east-1:000000000000:function:named:7"),
                    ("arn:aws:lambda:eu-west-1:000000000000:function:named", nil, "arn:aws:lambda:eu-west-1:000000000000:function:named"),
                ]
                for (name, qualifier, arn) in notFound {
                    let outcome = try await Harness.invoke(host, name, qualifier: qualifier)
                    guard case .rejected(let error) = outcome else {
                        Issue.record("\(name) should not be found, got \(outcome)")
                        continue
                    }
                    #expect(error == LambdaServiceError(statusCode: 404, type: "ResourceNotFoundException", message: "Function not found: \(arn)"))
                }
                guard case .rejected(let mismatch) = try await Harness.invoke(host, "named:1", qualifier: "2") else {
                    Issue.record("a qualifier that disagrees with the name's is refused")
                    return
                }
                #expect(mismatch.statusCode == 400)
                #expect(mismatch.type == "InvalidParameterValueException")
            }
        }

        @Test func aRemovedFunctionIsNotFoundAndItsProcessesStop() async throws {
            try await Harness.withHost { host in
                host.upsert(Harness.provided("gone", mode: "pid"))
                let pid = try Harness.pid(Harness.completed(try await Harness.invoke(host, "gone")))
                host.remove(functionName: "gone")
                #expect(await Harness.eventually { !Harness.isAlive(pid) })
                guard case .rejected(let error) = try await Harness.invoke(host, "gone") else {
                    Issue.record("a removed function is not found")
                    return
                }
                #expect(error.statusCode == 404)
            }
        }

        @Test func shutdownKillsEveryProcessAndLaterInvocationsAreRefused() async throws {
            var pid: pid_t = 0
            var stopped: FunctionHost?
            try await Harness.withHost { host in
                host.upsert(Harness.provided("stopping", mode: "pid"))
                pid = try Harness.pid(Harness.completed(try await Harness.invoke(host, "stopping")))
                #expect(Harness.isAlive(pid))
                stopped = host
            }
            #expect(await Harness.eventually { !Harness.isAlive(pid) })
            let host = try #require(stopped)
            guard case .rejected(let error) = try await Harness.invoke(host, "stopping") else {
                Issue.record("a stopped host refuses invocations")
                return
            }
            #expect(error.statusCode == 503)
        }

        @Test func eventsWaitForAFreeProcessWhenTheFunctionIsBusy() async throws {
            try await Harness.withHost { host in
                host.upsert(Harness.provided("queued", mode: "touch", concurrency: 1))
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("portico-queue-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: directory) }
                let markers = (0..<3).map { directory.appendingPathComponent("event-\($0)").path }
                for marker in markers {
                    #expect(try Harness.completed(try await Harness.invoke(host, "queued", marker, type: .event)).statusCode == 202)
                }
                #expect(await Harness.eventually { markers.allSatisfy { FileManager.default.fileExists(atPath: $0) } })
                let log = host.recentLog(functionName: "queued", maxBytes: 1 << 20)
                #expect(log.components(separatedBy: "bootstrap ").count - 1 == 1, "one process ran all three, one after another")
            }
        }

        @Test func aProcessThatNeverAsksForAnEventTimesOutAndIsKilled() async throws {
            try await Harness.withHost(initTimeoutSeconds: 1) { host in
                let marker = FileManager.default.temporaryDirectory.appendingPathComponent("portico-stuck-\(UUID().uuidString)").path
                defer { try? FileManager.default.removeItem(atPath: marker) }
                host.upsert(
                    FunctionConfiguration(
                        name: "stuck", arn: host.functionArn("stuck"), command: ["sh", "-c", "echo $$ > \(marker); exec sleep 60"],
                        codeDirectory: Harness.providedDirectory, timeoutSeconds: 1, revision: "1"))
                let started = Date()
                let response = try Harness.completed(try await Harness.invoke(host, "stuck"))
                #expect(Date().timeIntervalSince(started) < 5, "the timeout plus the init allowance, not forever")
                #expect(response.functionError == "Unhandled")
                #expect(try Harness.json(response)["errorType"] as? String == "Sandbox.Timedout")
                let pid = try #require(pid_t(try String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
                #expect(await Harness.eventually { !Harness.isAlive(pid) })
            }
        }
    }
}
