import Foundation
import Logging
import NIOCore
import NIOPosix
import PorticoAuth
import PorticoLambda
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Where the fixtures are, which Python runs awslambdaric, and helpers to drive a real
/// `FunctionHost` with real processes.
enum Harness {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let providedDirectory = fixtures.appendingPathComponent("provided").path
    static let pythonDirectory = fixtures.appendingPathComponent("python").path
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// A Python with awslambdaric 4.2.2: `PORTICO_TEST_PYTHON`, or `.venv-test/bin/python`
    /// (which `scripts/test` installs from Tests/e2e/requirements.txt).
    ///
    /// Found by looking for the package in the environment's `site-packages` rather than by running
    /// Python: a blocking wait here would hold one of the few threads every test shares.
    static let python: String? = {
        let fileManager = FileManager.default
        if let named = ProcessInfo.processInfo.environment["PORTICO_TEST_PYTHON"], !named.isEmpty {
            return fileManager.isExecutableFile(atPath: named) ? named : nil
        }
        let venv = packageRoot.appendingPathComponent(".venv-test")
        let python = venv.appendingPathComponent("bin/python").path
        guard fileManager.isExecutableFile(atPath: python) else { return nil }
        let lib = venv.appendingPathComponent("lib")
        let versions = (try? fileManager.contentsOfDirectory(atPath: lib.path)) ?? []
        let installed = versions.contains { version in
            fileManager.fileExists(atPath: lib.appendingPathComponent("\(version)/site-packages/awslambdaric/__init__.py").path)
        }
        return installed ? python : nil
    }()

    /// Python tests run when awslambdaric is there, and in CI, where its absence is a failure
    /// rather than a skip. By hand, the skip is announced loudly.
    static let pythonTestsEnabled: Bool = {
        if python == nil, !isCI {
            let warning = """

                *** PorticoLambdaTests: awslambdaric not found (.venv-test/bin/python or PORTICO_TEST_PYTHON):
                *** SKIPPING the Python function tests. Run scripts/test once to install it.


                """
            FileHandle.standardError.write(Data(warning.utf8))
        }
        return python != nil || isCI
    }()

    static func requirePython() throws -> String {
        try #require(python, "awslambdaric is not installed: run scripts/test (it installs .venv-test) or set PORTICO_TEST_PYTHON")
    }

    static let caller = MultiThreadedEventLoopGroup.singleton.next()

    /// Runs `body` with a fresh host, shut down afterwards whatever happens.
    static func withHost(
        idleSeconds: Double = 60, defaultConcurrency: Int = 4, initTimeoutSeconds: Double = 10, maxResponseBytes: Int = 6_291_556,
        memoryCheckMilliseconds: Int = 100, sessions: TemporaryCredentialRegistry? = nil, sessionLifetime: Double = 12 * 3600,
        _ body: (FunctionHost) async throws -> Void
    ) async throws {
        var configuration = FunctionHostConfiguration()
        configuration.sessionCredentials = sessions
        configuration.sessionCredentialLifetime = sessionLifetime
        configuration.maxRuntimeBodyBytes = maxResponseBytes
        configuration.idleSeconds = idleSeconds
        configuration.initTimeoutSeconds = initTimeoutSeconds
        configuration.defaultConcurrency = defaultConcurrency
        configuration.memoryCheckMilliseconds = memoryCheckMilliseconds
        if let python { configuration.pythonRuntimeCommand = [python, "-m", "awslambdaric"] }
        var logger = Logger(label: "PorticoLambdaTests")
        logger.logLevel = .warning
        let host = FunctionHost(configuration: configuration, logger: logger)
        do {
            try await body(host)
        } catch {
            await host.shutdown()
            try? FileManager.default.removeItem(atPath: scratch)
            throw error
        }
        await host.shutdown()
        // What killed `bootstrap`s could not clean up themselves.
        try? FileManager.default.removeItem(atPath: scratch)
    }

    /// The `TMPDIR` of test functions, emptied after each host.
    static let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("portico-lambda-tests-\(getpid())").path

    static func provided(
        _ name: String, mode: String, environment: [String: String] = [:], timeout: Int = 5, concurrency: Int? = nil, revision: String = "1",
        role: String? = nil
    ) -> FunctionConfiguration {
        var environment = environment
        environment["MODE"] = mode
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        environment["TMPDIR"] = scratch
        return FunctionConfiguration(
            name: name, arn: "arn:aws:lambda:us-east-1:000000000000:function:\(name)", runtime: "provided.al2023", handler: "unused",
            codeDirectory: providedDirectory, environment: environment, timeoutSeconds: timeout, reservedConcurrency: concurrency,
            role: role, revision: revision)
    }

    static func python(_ name: String, handler: String, environment: [String: String] = [:], timeout: Int = 5) -> FunctionConfiguration {
        FunctionConfiguration(
            name: name, arn: "arn:aws:lambda:us-east-1:000000000000:function:\(name)", runtime: "python3.11", handler: handler,
            codeDirectory: pythonDirectory, environment: environment, timeoutSeconds: timeout, revision: "1")
    }

    static func invoke(
        _ host: FunctionHost, _ name: String, _ payload: String = "{}", type: LambdaInvocationType = .requestResponse,
        tail: Bool = false, qualifier: String? = nil, clientContext: String? = nil
    ) async throws -> LambdaInvocationOutcome {
        let invocation = LambdaInvocation(
            functionName: name, qualifier: qualifier, payload: ByteBuffer(string: payload), invocationType: type, tailLog: tail,
            clientContext: clientContext)
        return try await host.invoke(invocation, on: caller).get()
    }

    /// The completed answer, or a test failure.
    static func completed(_ outcome: LambdaInvocationOutcome, sourceLocation: SourceLocation = #_sourceLocation) throws -> LambdaInvocationResponse {
        guard case .completed(let response) = outcome else {
            Issue.record("expected the function to run, got \(outcome)", sourceLocation: sourceLocation)
            throw HarnessError.unexpectedOutcome
        }
        return response
    }

    static func json(_ response: LambdaInvocationResponse) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(response.payload.readableBytesView))
        return try #require(object as? [String: Any], "not a JSON object: \(String(buffer: response.payload))")
    }

    static func pid(_ response: LambdaInvocationResponse) throws -> pid_t {
        try #require((try json(response)["pid"] as? Int).map { pid_t($0) })
    }

    static func isAlive(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0
    }

    /// Polls `condition` every 50 ms for up to `seconds`.
    static func eventually(within seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }
}

enum HarnessError: Error {
    case unexpectedOutcome
}
