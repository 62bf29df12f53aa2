import Foundation
import PorticoModel
import PorticoStore

/// ImportApi, ReimportApi and ExportApi, over PorticoModel's OpenAPI importer and exporter.
enum ImportExportOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("PUT", "/v2/apis", importApi)
        router.add("PUT", "/v2/apis/{apiId}", reimportApi)
        router.add("GET", "/v2/apis/{apiId}/exports/{specification}", exportApi)
    }

    /// The request members both imports share: the definition text and the query options.
    struct ImportRequest: Sendable {
        var text: String
        var basepath: String?
        var failOnWarnings: Bool

        init(_ context: OperationContext) throws(APIError) {
            let body = try context.body()
            text = try body.required("body", body.string("body"))
            let query = try context.query()
            basepath = query.first("basepath")
            if let basepath, !["ignore", "prepend", "split"].contains(basepath) {
                throw .badRequest("Invalid value for basepath: '\(basepath)'. Valid values: ignore, prepend, split.")
            }
            failOnWarnings = try query.bool("failOnWarnings") ?? false
        }
    }

    @Sendable static func importApi(_ context: OperationContext) async throws -> ManagementResponse {
        let request = try ImportRequest(context)
        let api = try await context.transaction { transaction in
            let apiId = try ApiIdentifiers.newApiId(transaction)
            let document = try OpenAPIImporter.makeDocument(
                from: request.text, apiId: apiId, basepath: request.basepath, failOnWarnings: request.failOnWarnings,
                now: context.now)
            try ApiQuotas.check(document)
            try transaction.putApiDocument(document)
            return document.api
        }
        return try .json(201, context.view(api))
    }

    @Sendable static func reimportApi(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let request = try ImportRequest(context)
        let api = try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            let document = try OpenAPIImporter.reimport(
                request.text, into: old, basepath: request.basepath, failOnWarnings: request.failOnWarnings, now: context.now)
            try ApiQuotas.check(document)
            // A reimport changes routes and integrations: auto-deploy stages pick it up as for any change.
            return try Deployer.save(document, replacing: old, now: context.now, transaction: transaction).api
        }
        return try .json(201, context.view(api))
    }

    @Sendable static func exportApi(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let specification = context.parameter("specification")
        let query = try context.query()
        guard let outputType = query.first("outputType") else {
            throw APIError.badRequest("Missing required query parameter 'outputType' (JSON or YAML).")
        }
        guard let format = OpenAPIFormat(rawValue: outputType) else {
            throw APIError.badRequest("Invalid value for outputType: '\(outputType)'. Valid values: JSON, YAML.")
        }
        try OpenAPIExporter.validate(specification: specification, exportVersion: query.first("exportVersion"))
        let includeExtensions = try query.bool("includeExtensions") ?? true
        let stageName = query.first("stageName")

        let text = try await context.transaction { transaction in
            let document = try context.document(transaction, apiId)
            var routes = document.routes
            var integrations = document.integrations
            var authorizers = document.authorizers
            if let stageName {
                // AWS exports what the stage serves: its deployment's routes and integrations.
                guard let stage = document.stage(stageName) else { throw AWSMessages.stageNotFound(stageName) }
                guard let deploymentId = stage.deploymentId,
                    let snapshot = try transaction.deploymentSnapshot(apiId: apiId, deploymentId: deploymentId)
                else {
                    throw APIError.badRequest("Stage \(stageName) has no deployment to export.")
                }
                routes = snapshot.routes
                integrations = snapshot.integrations
                authorizers = snapshot.authorizers ?? []
            }
            return try OpenAPIExporter.export(
                api: document.api, routes: routes, integrations: integrations, stageName: stageName, format: format,
                includeExtensions: includeExtensions, serverURL: context.view(document.api).apiEndpoint, authorizers: authorizers)
        }
        let contentType = format == .json ? "application/json" : "application/yaml"
        return ManagementResponse(status: 200, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }
}
