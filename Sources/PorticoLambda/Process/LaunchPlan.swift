import Foundation
import PorticoAuth

/// What to run for a function, and with which environment.
struct LaunchPlan: Equatable, Sendable {
    var argv: [String]
    var directory: String
    var environment: [String: String]

    enum Problem: Error, Equatable {
        /// A `provided` runtime whose code has no executable `bootstrap`.
        case missingBootstrap(String)
        /// A runtime the host does not know how to start (and no `command`).
        case unsupportedRuntime(String)
    }

    /// The command: `command` when the function declares one; `provided.*` runs
    /// `{codeDirectory}/bootstrap`; `python3.*` runs the configured runtime command with the
    /// handler as its argument (awslambdaric reads `argv[1]`, AWS_FACTS.md L2).
    static func command(for function: FunctionConfiguration, configuration: FunctionHostConfiguration) throws(Problem) -> [String] {
        if let command = function.command, !command.isEmpty {
            return command
        }
        let runtime = function.runtime ?? ""
        if runtime.hasPrefix("provided") {
            let bootstrap = (function.codeDirectory as NSString).appendingPathComponent("bootstrap")
            guard FileManager.default.isExecutableFile(atPath: bootstrap) else { throw .missingBootstrap(bootstrap) }
            return [bootstrap]
        }
        if runtime.hasPrefix("python") {
            return configuration.pythonRuntimeCommand + [function.handler ?? "lambda_function.lambda_handler"]
        }
        throw .unsupportedRuntime(runtime.isEmpty ? "(none)" : runtime)
    }

    /// The process environment (AWS_FACTS.md L1, "defined runtime environment variables"):
    /// the host's base variables, then the function's own, then Lambda's reserved ones, which a
    /// function cannot override on AWS either.
    static func environment(
        for function: FunctionConfiguration, runtimeAPI: String, logStream: String, configuration: FunctionHostConfiguration
    ) -> [String: String] {
        var environment = configuration.baseEnvironment
        environment.merge(function.environment) { _, own in own }
        let reserved: [String: String] = [
            "AWS_LAMBDA_RUNTIME_API": runtimeAPI,
            "LAMBDA_TASK_ROOT": function.codeDirectory,
            // AWS points this at /var/runtime, where its runtime clients live; a local process has
            // its runtime client wherever it was installed, so the task root stands in.
            "LAMBDA_RUNTIME_DIR": function.codeDirectory,
            "AWS_LAMBDA_FUNCTION_NAME": function.name,
            "AWS_LAMBDA_FUNCTION_VERSION": function.version,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": String(function.memorySizeMB),
            "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/\(function.name)",
            "AWS_LAMBDA_LOG_STREAM_NAME": logStream,
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_REGION": configuration.region,
            "AWS_DEFAULT_REGION": configuration.region,
        ]
        environment.merge(reserved) { _, lambda in lambda }
        if let handler = function.handler { environment["_HANDLER"] = handler }
        // Managed runtimes say which they are; custom runtimes (`provided.*`) and commands do not.
        if let runtime = function.runtime, !runtime.hasPrefix("provided") {
            environment["AWS_EXECUTION_ENV"] = "AWS_Lambda_\(runtime)"
        }
        return environment
    }

    /// The role's temporary credentials in Lambda's reserved variables (`AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), which the SDKs' default credential chain reads.
    /// They replace any the function's own variables carry, as Lambda's reserved names do.
    static func addCredentials(_ credentials: TemporaryCredentials, to environment: inout [String: String]) {
        environment["AWS_ACCESS_KEY_ID"] = credentials.accessKeyId
        environment["AWS_SECRET_ACCESS_KEY"] = credentials.secretAccessKey
        environment["AWS_SESSION_TOKEN"] = credentials.sessionToken
    }

    /// `2024/01/02/[$LATEST]0123456789abcdef0123456789abcdef`, the shape of a Lambda log stream.
    static func logStreamName(version: String, date: Date = Date()) -> String {
        let day = date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().dateSeparator(.dash))
        let hex = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return day.replacingOccurrences(of: "-", with: "/") + "/[\(version)]" + hex
    }
}
