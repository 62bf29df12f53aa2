import Foundation
import PorticoModel
import PorticoStore

/// TagResource, UntagResource, GetTags on API and stage ARNs.
enum TagOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/v2/tags/{resource-arn}", tagResource)
        router.add("DELETE", "/v2/tags/{resource-arn}", untagResource)
        router.add("GET", "/v2/tags/{resource-arn}", getTags)
    }

    private struct TagsBody: Encodable {
        var tags: [String: String]
    }

    private struct Empty: Encodable {}

    static func resource(_ context: OperationContext) throws(APIError) -> ResourceArn {
        try ResourceArn(
            parsing: context.parameter("resource-arn"), region: context.configuration.region,
            accountId: context.configuration.accountId)
    }

    @Sendable static func tagResource(_ context: OperationContext) async throws -> ManagementResponse {
        let resource = try resource(context)
        let body = try context.body()
        let tags = try body.required("tags", body.stringMap("tags"))
        try TagValidation.validate(tags)
        try await context.transaction { transaction in
            try modifyTags(of: resource, context: context, transaction: transaction) { existing throws(APIError) in
                try TagValidation.merged(existing, with: tags)
            }
        }
        return try .json(201, Empty())
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
            let document = try context.document(transaction, resource.apiId)
            switch resource {
            case .api:
                return document.api.tags ?? [:]
            case .stage(_, let stageName):
                guard let stage = document.stage(stageName) else { throw AWSMessages.stageNotFound(stageName) }
                return stage.tags ?? [:]
            }
        }
        return try .json(200, TagsBody(tags: tags))
    }

    private static func modifyTags(
        of resource: ResourceArn, context: OperationContext, transaction: any StoreTransaction,
        _ change: ([String: String]?) throws(APIError) -> [String: String]
    ) throws {
        var document = try context.document(transaction, resource.apiId)
        switch resource {
        case .api:
            document.api.tags = try change(document.api.tags)
        case .stage(_, let stageName):
            guard let index = document.stages.firstIndex(where: { $0.stageName == stageName }) else {
                throw AWSMessages.stageNotFound(stageName)
            }
            document.stages[index].tags = try change(document.stages[index].tags)
        }
        try transaction.putApiDocument(document)
    }
}
