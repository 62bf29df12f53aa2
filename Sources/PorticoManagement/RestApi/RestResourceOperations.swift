import Foundation
import PorticoModel
import PorticoStore

/// CreateResource, GetResources, GetResource, UpdateResource, DeleteResource: the resource tree.
enum RestResourceOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/restapis/{restapi_id}/resources/{parent_id}", createResource)
        router.add("GET", "/restapis/{restapi_id}/resources", getResources)
        router.add("GET", "/restapis/{restapi_id}/resources/{resource_id}", getResource)
        router.add("PATCH", "/restapis/{restapi_id}/resources/{resource_id}", updateResource)
        router.add("DELETE", "/restapis/{restapi_id}/resources/{resource_id}", deleteResource)
    }

    @Sendable static func createResource(_ context: OperationContext) async throws -> ManagementResponse {
        let restApiId = context.restApiId
        let parentId = context.parameter("parent_id")
        let body = try context.body()
        let pathPart = try body.required("pathPart", body.string("pathPart"))
        let created = try await context.transaction { transaction in
            guard var document = try transaction.restApiDocument(id: restApiId), let parent = document.resource(parentId) else {
                throw RestMessages.resourceNotFound
            }
            try checkPlacement(pathPart: pathPart, under: parent, in: document, ignoring: nil)
            var resourceId = Identifier.random(length: Identifier.resourceLength)
            while document.resource(resourceId) != nil { resourceId = Identifier.random(length: Identifier.resourceLength) }
            let resource = RestResource(
                id: resourceId, parentId: parentId, pathPart: pathPart,
                path: RestResource.childPath(parentPath: parent.path, pathPart: pathPart))
            document.resources.append(resource)
            try transaction.putRestApiDocument(document)
            return resource
        }
        return try .restJSON(201, RestResourceView(created, embedMethods: false))
    }

    /// AWS's rules for a path part under a parent: a valid part, no child under a greedy
    /// `{proxy+}`, unique names among siblings, and at most one variable sibling. `ignoring` is
    /// the resource being moved or renamed, which is not its own sibling.
    static func checkPlacement(
        pathPart: String, under parent: RestResource, in document: RestApiDocument, ignoring: String?
    ) throws(APIError) {
        guard let part = RestPathPart(parsing: pathPart) else { throw .badRequest(RestPathPart.invalidMessage) }
        if let parentPart = parent.pathPart, RestPathPart(parsing: parentPart)?.isGreedy == true {
            throw RestMessages.greedyParent(parentPart)
        }
        let siblings = document.children(of: parent.id).filter { $0.id != ignoring }
        if siblings.contains(where: { $0.pathPart == pathPart }) {
            throw RestMessages.siblingConflict(pathPart)
        }
        if part.isVariable,
            let sibling = siblings.first(where: { RestPathPart(parsing: $0.pathPart ?? "")?.isVariable == true })
        {
            throw RestMessages.variableSibling(sibling.pathPart ?? "")
        }
    }

    @Sendable static func getResources(_ context: OperationContext) async throws -> ManagementResponse {
        let embed = RestResourceView.embedsMethods(try context.query())
        let resources = try await context.readRestDocument { document, _ in document.resources }
        // AWS lists the tree in path order, root first.
        let page = try context.restPage(resources, kind: "resources", key: \.path)
        return try .restJSON(200, RestListPage(Pagination.Page(items: page.items.map { RestResourceView($0, embedMethods: embed) }, nextToken: page.nextToken)))
    }

    /// One resource with its methods in full: AWS's API reference ("resource:methods") says the
    /// method map is in the answer to `GET .../resources/{id}` with or without `embed=methods`.
    @Sendable static func getResource(_ context: OperationContext) async throws -> ManagementResponse {
        let resource = try await context.transaction { transaction in
            let (document, index) = try context.restResource(transaction)
            return document.resources[index]
        }
        return try .restJSON(200, RestResourceView(resource, embedMethods: true))
    }

    static let patchPaths = ["/parentId", "/pathPart"]


    @Sendable static func updateResource(_ context: OperationContext) async throws -> ManagementResponse {
        let operations = try PatchOperation.read(try context.body(), input: "updateResourceInput")
        let updated = try await context.transaction { transaction in
            var (document, index) = try context.restResource(transaction)
            for operation in operations {
                try apply(operation, toResourceAt: index, in: &document)
            }
            document.recomputePaths()
            try transaction.putRestApiDocument(document)
            return document.resources[index]
        }
        return try .restJSON(200, RestResourceView(updated, embedMethods: false))
    }

    /// Moves (`/parentId`) or renames (`/pathPart`) a resource; its subtree follows.
    static func apply(_ operation: PatchOperation, toResourceAt index: Int, in document: inout RestApiDocument) throws(APIError) {
        let path = try operation.replacedPath(oneOf: patchPaths)
        let resource = document.resources[index]
        let value = try operation.requiredValue()
        if path == "/pathPart" {
            guard !resource.isRoot else { throw RestMessages.rootPathPart }
            guard let parent = document.resource(resource.parentId ?? "") else { throw RestMessages.resourceNotFound }
            try checkPlacement(pathPart: value, under: parent, in: document, ignoring: resource.id)
            document.resources[index].pathPart = value
        } else {
            guard !resource.isRoot else { throw RestMessages.rootParent }
            guard let parent = document.resource(value) else { throw RestMessages.resourceNotFound }
            guard !document.subtree(of: resource.id).contains(parent.id) else { throw RestMessages.cyclicalResources }
            try checkPlacement(pathPart: resource.pathPart ?? "", under: parent, in: document, ignoring: resource.id)
            document.resources[index].parentId = parent.id
        }
        document.recomputePaths()
    }

    @Sendable static func deleteResource(_ context: OperationContext) async throws -> ManagementResponse {
        try await context.transaction { transaction in
            var (document, index) = try context.restResource(transaction)
            let resource = document.resources[index]
            guard !resource.isRoot else { throw RestMessages.rootDelete }
            // Deleting a resource deletes everything under it, methods included.
            let doomed = document.subtree(of: resource.id)
            document.resources.removeAll { doomed.contains($0.id) }
            try transaction.putRestApiDocument(document)
        }
        return .accepted
    }
}
