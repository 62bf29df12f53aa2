import Foundation
import PorticoModel

/// A function as the Lambda API shows it: the `FunctionConfiguration` structure of CreateFunction,
/// GetFunctionConfiguration, the update operations and ListFunctions, and GetFunction's envelope.
struct LambdaFunctionView {
    let function: LambdaFunctionDocument
    let arn: String

    init(_ function: LambdaFunctionDocument, region: String, accountId: String) {
        self.function = function
        self.arn = LambdaArn.function(function.functionName, region: region, accountId: accountId)
    }

    /// The `FunctionConfiguration` members. ListFunctions leaves out the state members (as AWS
    /// does: its list entries carry no `State` or `LastUpdateStatus`).
    func configuration(forList: Bool = false) -> JSONValue {
        var members: [String: JSONValue] = [
            "FunctionName": .string(function.functionName),
            "FunctionArn": .string(arn),
            "Role": .string(function.role),
            "CodeSize": .integer(Int64(function.code.size)),
            "CodeSha256": .string(function.code.sha256),
            "Description": .string(function.description),
            "Timeout": .integer(Int64(function.timeout)),
            "MemorySize": .integer(Int64(function.memorySize)),
            "LastModified": .string(function.lastModified),
            "Version": .string("$LATEST"),
            "RevisionId": .string(function.revisionId),
            "PackageType": .string(function.packageType),
            "Architectures": .array(function.architectures.map(JSONValue.string)),
            "EphemeralStorage": .object(["Size": .integer(Int64(function.ephemeralStorageSize))]),
            "TracingConfig": .object(["Mode": .string(function.tracingMode)]),
            "SnapStart": .object(["ApplyOn": .string("None"), "OptimizationStatus": .string("Off")]),
            "LoggingConfig": .object([
                "LogFormat": .string("Text"), "LogGroup": .string("/aws/lambda/\(function.functionName)"),
            ]),
        ]
        if let runtime = function.runtime { members["Runtime"] = .string(runtime) }
        if let handler = function.handler { members["Handler"] = .string(handler) }
        if let environment = function.environment {
            members["Environment"] = .object(["Variables": .object(environment.mapValues(JSONValue.string))])
        }
        if !forList {
            // Portico's functions are usable as soon as the call returns: no Pending state.
            members["State"] = .string("Active")
            members["LastUpdateStatus"] = .string("Successful")
        }
        return .object(members)
    }

    /// GetFunction's answer: the configuration, where the code is, the tags, and the reserved
    /// concurrency when there is one.
    func getFunction(codeLocation: String) -> JSONValue {
        var members: [String: JSONValue] = [
            "Configuration": configuration(),
            "Code": .object(["RepositoryType": .string("S3"), "Location": .string(codeLocation)]),
        ]
        if let tags = function.tags, !tags.isEmpty {
            members["Tags"] = .object(tags.mapValues(JSONValue.string))
        }
        if let reserved = function.reservedConcurrency {
            members["Concurrency"] = .object(["ReservedConcurrentExecutions": .integer(Int64(reserved))])
        }
        return .object(members)
    }

    /// `LastModified` as Lambda writes it: ISO 8601 with milliseconds and a `+0000` offset
    /// (`2024-01-02T03:04:05.678+0000`).
    static func lastModified(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        let millis = (parts.nanosecond ?? 0) / 1_000_000
        return String(
            format: "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld.%03ld+0000", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1,
            parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0, millis)
    }
}
