import Foundation
import PorticoModel
import PorticoStore

/// TagResource, UntagResource, GetTags on API and stage ARNs, for both protocols: `apigatewayv2`
/// under `/v2/tags/` and `apigateway` (REST APIs) under `/tags/`. The two differ only in their
/// methods and TagResource's success code (201 and 204, from the botocore models).
enum TagOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/v2/tags/{resource-arn}", tagResource)
        router.add("DELETE", "/v2/tags/{resource-arn}", untagResource)
        router.add("GET", "/v2/tags/{resource-arn}", getTags)
        router.add("PUT", "/tags/{resource_arn}", tagResource)
        router.add("DELETE", "/tags/{resource_arn}", untagResource)
        router.add("GET", "/tags/{resource_arn}", getTags)
    }

    private struct TagsBody: Encodable {
        var tags: [String: String]
    }

    private struct Empty: Encodable {}

    static func resource(_ context: OperationContext) throws(APIError) -> ResourceArn {
        try ResourceArn(
            parsing: context.parameters["resource-arn"] ?? context.parameter("resource_arn"), region: context.configuration.region,
            accountId: context.configuration.accountId)
    }

    @Sendable static func tagResource(_ context: OperationContext) async throws -> ManagementResponse {
        let resource = try resource(context)
        let body = try context.body()
        // `tags` is optional in AWS's model (only the ARN is required): no tags is a no-op.
        let tags = try body.stringMap("tags") ?? [:]
        try TagValidation.validate(tags)
        try await context.transaction { transaction in
            try modifyTags(of: resource, context: context, transaction: transaction) { existing throws(APIError) in
                try TagValidation.merged(existing, with: tags)
            }
        }
        return resource.isRest ? .noContent : try .json(201, Empty())
    }

    @Sendable static func untagResource(_ context: OperationContext) async throws -> ManagementResponse {
        let resource = try resource(context)
        let keys = try context.query().all("tagKeys")
        guard !keys.isEmpty else {
            throw APIError.badRequest("Missing required query parameter 'tagKeys'.")
        }
        try await context.transaction { transaction in
            try modifyTags(of: resource, context: context, transaction: transaction) { existing throws(APIError) in
                var tags = existing ?? [:]
                for key in keys { tags.removeValue(forKey: key) }
                return tags
            }
        }
        return .noContent
    }

    @Sendable static func getTags(_ context: OperationContext) async throws -> ManagementResponse {
        let resource = try resource(context)
        let tags = try await context.transaction { transaction in
            switch resource {
            case .api:
                return try context.document(transaction, resource.apiId).api.tags ?? [:]
            case .stage(_, let stageName):
                guard let stage = try context.document(transaction, resource.apiId).stage(stageName) else {
                    throw AWSMessages.stageNotFound(stageName)
                }
                return stage.tags ?? [:]
            case .restApi:
                return try context.restDocument(transaction, resource.apiId).restApi.tags ?? [:]
            case .restStage(_, let stageName):
                guard let stage = try context.restDocument(transaction, resource.apiId).stage(stageName) else {
                    throw RestMessages.stageNotFound
                }
                return stage.tags ?? [:]
            }
        }
        return try .json(200, TagsBody(tags: tags))
    }

    private static func modifyTags(
        of resource: ResourceArn, context: OperationContext, transaction: any StoreTransaction,
        _ change: ([String: String]?) throws(APIError) -> [String: String]
    ) throws {
        if resource.isRest {
            var document = try context.restDocument(transaction, resource.apiId)
            if case .restStage(_, let stageName) = resource {
                guard let index = document.stageIndex(stageName) else { throw RestMessages.stageNotFound }
                document.stages[index].tags = try change(document.stages[index].tags)
            } else {
                document.restApi.tags = try change(document.restApi.tags)
            }
            try transaction.putRestApiDocument(document)
            return
        }
        var document = try context.document(transaction, resource.apiId)
        if case .stage(_, let stageName) = resource {
            guard let index = document.stages.firstIndex(where: { $0.stageName == stageName }) else {
                throw AWSMessages.stageNotFound(stageName)
            }
            document.stages[index].tags = try change(document.stages[index].tags)
        } else {
            document.api.tags = try change(document.api.tags)
        }
        try transaction.putApiDocument(document)
    }
}
