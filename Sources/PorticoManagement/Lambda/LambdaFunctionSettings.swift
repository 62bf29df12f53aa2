import Foundation
import PorticoModel

/// The configuration members CreateFunction and UpdateFunctionConfiguration share, read and
/// checked as Lambda checks them: the model's constraints first, all reported together as one
/// `ValidationException` ("2 validation errors detected: ..."), then Lambda's own rules
/// (runtime, environment) as `InvalidParameterValueException`.
struct LambdaFunctionSettings: Sendable {
    var runtime: String?
    var role: String?
    var handler: String?
    var description: String?
    var timeout: Int?
    var memorySize: Int?
    /// `Environment.Variables` when `Environment` was given (an empty map clears them).
    var environment: [String: String]?
    var ephemeralStorageSize: Int?
    var tracingMode: String?
    var architectures: [String]?

    /// Lambda's limits (AWS Lambda quotas): timeout 1–900 s; memory 128–10,240 MB (botocore's
    /// model now allows 32,768, but a standard function's documented maximum is 10,240);
    /// `/tmp` 512–10,240 MB; environment variables 4 KB in all.
    static let timeoutRange = 1...900
    static let memoryRange = 128...10240
    static let ephemeralStorageRange = 512...10240
    static let environmentLimitBytes = 4096

    static let rolePattern = #"arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+"#

    init(reading body: JSONBody) throws(APIError) {
        var violations: [String] = []
        runtime = try body.string("Runtime")
        role = try body.string("Role")
        handler = try body.string("Handler")
        description = try body.string("Description")
        timeout = try body.integer("Timeout")
        memorySize = try body.integer("MemorySize")
        if let environment = try body.object("Environment") {
            self.environment = try environment.stringMap("Variables") ?? [:]
        }
        ephemeralStorageSize = try body.object("EphemeralStorage")?.integer("Size")
        tracingMode = try body.object("TracingConfig")?.string("Mode")
        architectures = try body.stringList("Architectures")

        if let role, !Self.isRoleArn(role) {
            violations.append(
                "Value '\(role)' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: \(Self.rolePattern)")
        }
        if let handler, handler.count > 128 || handler.contains(where: \.isWhitespace) {
            violations.append(
                handler.count > 128
                    ? "Value '\(handler)' at 'handler' failed to satisfy constraint: Member must have length less than or equal to 128"
                    : #"Value '\#(handler)' at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\s]+"#)
        }
        if let description, description.count > 256 {
            violations.append(
                "Value '\(description)' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256")
        }
        Self.check(timeout, "timeout", Self.timeoutRange, into: &violations)
        Self.check(memorySize, "memorySize", Self.memoryRange, into: &violations)
        Self.check(ephemeralStorageSize, "ephemeralStorage.size", Self.ephemeralStorageRange, into: &violations)
        if let tracingMode, !["Active", "PassThrough"].contains(tracingMode) {
            violations.append(
                "Value '\(tracingMode)' at 'tracingConfig.mode' failed to satisfy constraint: Member must satisfy enum value set: [Active, PassThrough]")
        }
        if let architectures { Self.check(architectures: architectures, into: &violations) }
        if let environment, !environment.keys.allSatisfy(Self.isEnvironmentName) {
            // AWS names no key here: the variables are sensitive.
            violations.append(
                "Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]")
        }
        if !violations.isEmpty { throw LambdaErrors.validation(violations) }

        if let runtime { try LambdaRuntimes.check(runtime) }
        if let environment { try Self.checkEnvironment(environment) }
        // Layers would put code under /opt that Portico has nowhere to take from.
        if let layers = try body.stringList("Layers"), !layers.isEmpty {
            throw LambdaErrors.invalidParameter("Portico does not support Lambda layers: include the layer's code in the deployment package.")
        }
    }

    /// UpdateFunctionCode's `Architectures`, checked as CreateFunction checks it.
    static func architectures(_ body: JSONBody) throws(APIError) -> [String]? {
        guard let architectures = try body.stringList("Architectures") else { return nil }
        var violations: [String] = []
        check(architectures: architectures, into: &violations)
        if !violations.isEmpty { throw LambdaErrors.validation(violations) }
        return architectures
    }

    private static func check(architectures: [String], into violations: inout [String]) {
        if architectures.count != 1 {
            violations.append(
                "Value '[\(architectures.joined(separator: ", "))]' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1")
        } else if !["x86_64", "arm64"].contains(architectures[0]) {
            violations.append(
                "Value '[\(architectures[0])]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]")
        }
    }

    /// Writes the members that were given into `document`.
    func apply(to document: inout LambdaFunctionDocument) {
        if let runtime { document.runtime = runtime }
        if let role { document.role = role }
        if let handler { document.handler = handler }
        if let description { document.description = description }
        if let timeout { document.timeout = timeout }
        if let memorySize { document.memorySize = memorySize }
        if let environment { document.environment = environment.isEmpty ? nil : environment }
        if let ephemeralStorageSize { document.ephemeralStorageSize = ephemeralStorageSize }
        if let tracingMode { document.tracingMode = tracingMode }
        if let architectures { document.architectures = architectures }
    }

    private static func check(_ value: Int?, _ member: String, _ range: ClosedRange<Int>, into violations: inout [String]) {
        guard let value else { return }
        if value < range.lowerBound {
            violations.append(
                "Value '\(value)' at '\(member)' failed to satisfy constraint: Member must have value greater than or equal to \(range.lowerBound)")
        } else if value > range.upperBound {
            violations.append(
                "Value '\(value)' at '\(member)' failed to satisfy constraint: Member must have value less than or equal to \(range.upperBound)")
        }
    }

    /// `arn:aws:iam::123456789012:role/name` (the model's `RoleArn` pattern, written out).
    static func isRoleArn(_ role: String) -> Bool {
        let parts = role.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "iam", parts[3].isEmpty,
            parts[4].count == 12, parts[4].allSatisfy({ $0.isASCII && $0.isNumber }), parts[5].hasPrefix("role")
        else { return false }
        var rest = parts[5].dropFirst(4)
        if rest.hasPrefix("/") { rest = rest.dropFirst() }
        return !rest.isEmpty && rest.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+=,.@-_/".contains($0)) }
    }

    /// `[a-zA-Z]([a-zA-Z0-9_])+`: a letter, then at least one letter, digit or underscore.
    static func isEnvironmentName(_ name: String) -> Bool {
        guard name.count >= 2, let first = name.first, first.isASCII, first.isLetter else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// The variables Lambda sets itself and refuses to let a function override (Lambda developer
    /// guide, "Defined runtime environment variables": the reserved ones).
    static let reservedEnvironmentNames: Set<String> = [
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    ]

    /// Lambda's environment checks, with its wording (as AWS answers them; LocalStack's snapshot
    /// tests record the same text).
    static func checkEnvironment(_ variables: [String: String]) throws(APIError) {
        let reserved = variables.keys.filter(reservedEnvironmentNames.contains).sorted()
        if !reserved.isEmpty {
            throw LambdaErrors.invalidParameter(
                "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: \(reserved.joined(separator: ", "))"
            )
        }
        let measured = JSONValue.object(variables.mapValues(JSONValue.string)).jsonText
        if measured.utf8.count > environmentLimitBytes {
            throw LambdaErrors.invalidParameter(
                "Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: \(measured)"
            )
        }
    }
}

/// The runtimes Lambda knows, and the ones Portico runs.
enum LambdaRuntimes {
    /// Portico runs Python handlers through a runtime client and `provided` runtimes through the
    /// zip's `bootstrap`; other runtimes would need their runtime clients, which are not here.
    static let supported = [
        "python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14",
        "provided", "provided.al2", "provided.al2023",
    ]

    /// AWS's `Runtime` enum (botocore's lambda 2015-03-31 model).
    static let known: Set<String> = [
        "nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x",
        "java8", "java8.al2", "java11", "python2.7", "python3.6", "python3.7", "python3.8", "python3.9",
        "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "dotnet8", "nodejs4.3-edge",
        "go1.x", "ruby2.5", "ruby2.7", "provided", "provided.al2", "nodejs18.x", "python3.10", "java17", "ruby3.2",
        "ruby3.3", "ruby3.4", "python3.11", "nodejs20.x", "provided.al2023", "python3.12", "java21", "python3.13",
        "nodejs22.x", "nodejs24.x", "python3.14", "java25", "dotnet10", "ruby4.0",
    ]

    static func check(_ runtime: String) throws(APIError) {
        guard known.contains(runtime) else {
            // AWS's wording for a value outside the enum (as LocalStack's snapshots record it);
            // AWS lists its own supported set, Portico lists the runtimes it can run.
            throw LambdaErrors.invalidParameter(
                "Value \(runtime) at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [\(supported.joined(separator: ", "))] or be a valid ARN"
            )
        }
        guard supported.contains(runtime) else {
            // No AWS counterpart: AWS runs every runtime it knows. Portico's own wording.
            throw LambdaErrors.invalidParameter(
                "The runtime parameter of \(runtime) is not supported by Portico, which runs: \(supported.joined(separator: ", ")).")
        }
    }
}
