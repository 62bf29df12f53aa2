import Crypto
import Foundation
public import NIOCore
public import PorticoLambda
public import PorticoStore
import PorticoModel

/// Keeps the function host told about the functions in the store: the management operations
/// call it after each commit, and the server calls ``upsertAll(from:into:configuration:)`` at
/// start-up. The store stays the source of truth; the host only ever hears about committed state.
public enum FunctionHostFeed {
    /// Tells `host` about every stored function, after clearing code directories no stored function
    /// uses (see ``FunctionCodeStorage/removeLeftovers(keeping:)``); returns how many there are.
    @discardableResult
    public static func upsertAll(
        from store: any Store, into host: any FunctionHosting, configuration: ManagementConfiguration
    ) async throws -> Int {
        let functions = try await store.transaction { transaction in try transaction.allLambdaFunctions() }
        FunctionCodeStorage(configuration).removeLeftovers(keeping: functions)
        for function in functions {
            host.upsert(hostConfiguration(function, configuration: configuration))
        }
        return functions.count
    }

    /// The function as the host runs it. The revision changes with the code (its digest) and
    /// with everything else the host uses (a digest of those settings), so the host retires
    /// processes exactly when what they run has changed.
    static func hostConfiguration(_ function: LambdaFunctionDocument, configuration: ManagementConfiguration) -> FunctionConfiguration {
        let settings: JSONValue = .object([
            "runtime": function.runtime.map(JSONValue.string) ?? .null,
            "handler": function.handler.map(JSONValue.string) ?? .null,
            "directory": .string(function.code.directory),
            "environment": .object((function.environment ?? [:]).mapValues(JSONValue.string)),
            "timeout": .integer(Int64(function.timeout)),
            "memorySize": .integer(Int64(function.memorySize)),
            "reservedConcurrency": function.reservedConcurrency.map { .integer(Int64($0)) } ?? .null,
            "role": .string(function.role),
        ])
        let settingsDigest = SHA256.hash(data: Data(settings.jsonText.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        let codeDigest = Data(base64Encoded: function.code.sha256).map { $0.prefix(8).map { String(format: "%02x", $0) }.joined() }
            ?? function.code.sha256
        return FunctionConfiguration(
            name: function.functionName,
            arn: LambdaArn.function(function.functionName, region: configuration.region, accountId: configuration.accountId),
            runtime: function.runtime, handler: function.handler, codeDirectory: function.code.directory,
            environment: function.environment ?? [:], timeoutSeconds: function.timeout, memorySizeMB: function.memorySize,
            reservedConcurrency: function.reservedConcurrency, role: function.role, revision: "\(codeDigest)-\(settingsDigest)")
    }
}

/// The host PorticoServer uses until the real function host is wired in: it knows the functions
/// it is told about and refuses every invocation with Lambda's `ServiceException`, so that the
/// management API works and Invoke fails plainly.
public struct UnavailableFunctionHost: FunctionHosting {
    public init() {}

    public func upsert(_ function: FunctionConfiguration) {}

    public func remove(functionName: String) {}

    public func recentLog(functionName: String, maxBytes: Int) -> String { "" }

    public func invoke(_ invocation: LambdaInvocation, on eventLoop: any EventLoop) -> EventLoopFuture<LambdaInvocationOutcome> {
        eventLoop.makeSucceededFuture(
            .rejected(LambdaServiceError(statusCode: 500, type: "ServiceException", message: "no function host")))
    }
}
