import Foundation
import PorticoModel
import PorticoStore

/// ListTags, TagResource and UntagResource on function ARNs (`/2017-03-31/tags/{ARN}`). Tags are
/// also given at CreateFunction and shown by GetFunction.
enum LambdaTagOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("GET", "/2017-03-31/tags/{Resource}", listTags)
        router.add("POST", "/2017-03-31/tags/{Resource}", tagResource)
        router.add("DELETE", "/2017-03-31/tags/{Resource}", untagResource)
    }

    /// Lambda's tag limits (50 per resource, keys up to 128 characters, values up to 256), with
    /// the API Gateway checks' wording as Lambda's own was not found, in Lambda's error type.
    static func validate(_ tags: [String: String]) throws(APIError) {
        do {
            _ = try TagValidation.merged(nil, with: tags)
        } catch {
            throw LambdaErrors.invalidParameter(error.message)
        }
    }

    @Sendable static func listTags(_ context: OperationContext) async throws -> ManagementResponse {
        let reference = try resource(context)
        let function = try await context.transaction { transaction in try context.lambdaFunction(transaction, reference) }
        return .lambdaJSON(200, .object(["Tags": .object((function.tags ?? [:]).mapValues(JSONValue.string))]))
    }

    @Sendable static func tagResource(_ context: OperationContext) async throws -> ManagementResponse {
        let reference = try resource(context)
        let tags = try context.body().stringMap("Tags") ?? [:]
        try validate(tags)
        try await context.transaction { transaction in
            var function = try context.lambdaFunction(transaction, reference)
            let merged = (function.tags ?? [:]).merging(tags) { _, new in new }
            try validate(merged)
            function.tags = merged.isEmpty ? nil : merged
            try transaction.putLambdaFunction(function)
        }
        return .noContent
    }

    @Sendable static func untagResource(_ context: OperationContext) async throws -> ManagementResponse {
        let reference = try resource(context)
        let keys = try context.query().all("tagKeys")
        try await context.transaction { transaction in
            var function = try context.lambdaFunction(transaction, reference)
            var tags = function.tags ?? [:]
            for key in keys { tags.removeValue(forKey: key) }
            function.tags = tags.isEmpty ? nil : tags
            try transaction.putLambdaFunction(function)
        }
        return .noContent
    }

    /// The function a tag ARN names. Only functions are taggable in Portico (Lambda also tags
    /// event source mappings and code signing configurations, which Portico does not have).
    static func resource(_ context: OperationContext) throws(APIError) -> LambdaFunctionReference {
        let arn = context.parameter("Resource")
        guard arn.hasPrefix("arn:") else {
            throw LambdaErrors.validation([
                "Value '\(arn)' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
            ])
        }
        return try LambdaFunctionReference(parsing: arn, region: context.configuration.region, accountId: context.configuration.accountId)
    }
}
