import Foundation
import PorticoModel
import PorticoStore

/// ImportRestApi (`POST /restapis?mode=import`), PutRestApi (`PUT /restapis/{id}?mode=merge|overwrite`)
/// and GetExport (`GET /restapis/{id}/stages/{stage}/exports/{oas30|swagger}`), over PorticoModel's
/// ``RestApiImporter`` and ``RestApiExporter``. Each import is one transaction: a failed import
/// changes nothing.
enum RestImportExportOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("PUT", "/restapis/{restapi_id}", putRestApi)
        router.add("GET", "/restapis/{restapi_id}/stages/{stage_name}/exports/{export_type}", getExport)
    }

    /// The definition is the request's whole body (botocore sends ImportRestApi's `body` blob as the payload).
    private static func definitionText(_ context: OperationContext) -> String {
        String(decoding: context.request.body, as: UTF8.self)
    }

    /// `failonwarnings` and the `parameters` map, which botocore sends as query parameters of their own.
    private struct ImportOptions: Sendable {
        var failOnWarnings: Bool
        var basepath: String?

        init(_ query: QueryParameters) throws(APIError) {
            failOnWarnings = try query.bool("failonwarnings") ?? false
            basepath = query.first("basepath")
        }
    }

    @Sendable static func importRestApi(_ context: OperationContext) async throws -> ManagementResponse {
        let query = try context.query()
        guard let mode = query.first("mode"), mode == "import" else {
            throw APIError.badRequest("Invalid mode '\(query.first("mode") ?? "")'. ImportRestApi takes mode=import.")
        }
        let options = try ImportOptions(query)
        // AWS: `endpointConfigurationTypes=REGIONAL` (or EDGE, PRIVATE) sets the new API's endpoint type.
        let endpointType = query.first("endpointConfigurationTypes")?.uppercased()
        if let endpointType, !EndpointConfiguration.endpointTypes.contains(endpointType) { throw RestMessages.invalidEndpointType }
        let endpointTypes = endpointType.map { [$0] }
        let text = definitionText(context)
        let created = try await context.transaction { transaction in
            let empty = try RestApiOperations.createDocument(
                RestApi(id: "", name: "import", rootResourceId: "", createdDate: context.now), transaction: transaction)
            let document = try RestApiImporter.importDefinition(
                text, into: empty, basepath: options.basepath, failOnWarnings: options.failOnWarnings, endpointTypes: endpointTypes)
            try transaction.putRestApiDocument(document)
            return document.restApi
        }
        return try .restJSON(201, created)
    }

    @Sendable static func putRestApi(_ context: OperationContext) async throws -> ManagementResponse {
        let query = try context.query()
        // AWS: "By default, the update mode is merge."
        let modeText = query.first("mode") ?? "merge"
        guard let mode = RestApiImporter.Mode(rawValue: modeText) else {
            throw APIError.badRequest("Invalid mode '\(modeText)'. Valid values are merge and overwrite.")
        }
        let options = try ImportOptions(query)
        let text = definitionText(context)
        let updated = try await context.changeRestDocument { document, _ in
            document = try RestApiImporter.put(text, into: document, mode: mode, basepath: options.basepath, failOnWarnings: options.failOnWarnings)
            return document.restApi
        }
        return try .restJSON(200, updated)
    }

    @Sendable static func getExport(_ context: OperationContext) async throws -> ManagementResponse {
        let typeText = context.parameter("export_type")
        guard let type = RestApiExporter.ExportType(rawValue: typeText) else {
            throw APIError.badRequest("Invalid export type '\(typeText)'. Valid values are oas30 and swagger.")
        }
        let query = try context.query()
        let extensions = try RestApiExporter.Extensions(parameter: query.first("extensions"))
        // `Accept: application/yaml` gives YAML; anything else JSON. AWS labels the JSON
        // application/octet-stream even for the `Accept: application/json` botocore always sends
        // (LocalStack's test_export_swagger_openapi snapshot, recorded against AWS).
        let accept = context.request.header("accept")?.lowercased() ?? ""
        let format: OpenAPIFormat = accept.contains("yaml") ? .yaml : .json
        let contentType = format == .yaml ? "application/yaml" : "application/octet-stream"
        let stageName = context.parameter("stage_name")
        let endpoint = context.configuration.apiEndpointFormat.replacingOccurrences(of: "{apiId}", with: context.restApiId)
        let (text, version) = try await context.readRestDocument { document, transaction in
            guard let stage = document.stage(stageName) else { throw RestMessages.stageNotFound }
            guard let deploymentId = stage.deploymentId,
                let snapshot = try transaction.restDeploymentSnapshot(restApiId: document.id, deploymentId: deploymentId)
            else {
                throw RestMessages.deploymentNotFound
            }
            let deployedAt = document.deployment(deploymentId)?.createdDate
            let text = try RestApiExporter.export(
                restApi: document.restApi, snapshot: snapshot, stageName: stageName, deployedAt: deployedAt, type: type, format: format,
                extensions: extensions, endpointURL: endpoint)
            return (text, RestApiExporter.version(of: document.restApi, deployedAt: deployedAt))
        }
        let fileExtension = format == .json ? "json" : "yaml"
        return ManagementResponse(
            status: 200,
            headers: [
                ("Content-Type", contentType),
                // AWS: `attachment; filename="swagger_1.0.0.json"`, the API's version or a date.
                ("Content-Disposition", "attachment; filename=\"\(typeText)_\(version).\(fileExtension)\""),
            ],
            body: Array(text.utf8))
    }
}
