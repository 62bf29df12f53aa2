import PorticoModel
import Testing

/// Export, then import: the same routes, integrations and CORS configuration come back.
struct OpenAPIRoundTripTests {
    typealias Support = OpenAPITestSupport

    private func expectSameDefinition(_ original: ApiDocument, _ copy: ApiDocument) {
        #expect(Support.comparableRoutes(copy) == Support.comparableRoutes(original))
        #expect(Support.comparableIntegrations(copy) == Support.comparableIntegrations(original))
        #expect(copy.integrations.count == original.integrations.count)
        #expect(copy.api.corsConfiguration == original.api.corsConfiguration)
        #expect(copy.api.name == original.api.name)
        #expect(copy.api.version == original.api.version)
        #expect(copy.api.description == original.api.description)
        #expect(copy.api.tags == original.api.tags)
        #expect(copy.api.disableExecuteApiEndpoint == original.api.disableExecuteApiEndpoint)
        #expect(copy.api.ipAddressType == original.api.ipAddressType)
        #expect(copy.api.warnings == nil)
    }

    @Test(arguments: [OpenAPIFormat.json, .yaml])
    func realisticFixtureRoundTrips(format: OpenAPIFormat) throws {
        let original = try Support.importDocument(try Support.fixture("petstore-http-api.yaml"))
        let exported = try Support.export(original, format: format)
        let copy = try Support.importDocument(exported, failOnWarnings: true)
        expectSameDefinition(original, copy)
        // Importing an export and exporting it again gives the same text: ids never appear in it.
        #expect(try Support.export(copy, format: format) == exported)
    }

    @Test(arguments: [OpenAPIFormat.json, .yaml])
    func awsExampleRoundTrips(format: OpenAPIFormat) throws {
        let original = try Support.importDocument(try Support.fixture("aws-example-petstore.json"))
        let copy = try Support.importDocument(try Support.export(original, format: format), failOnWarnings: true)
        expectSameDefinition(original, copy)
    }

    @Test func stageExportWithBasePathImportsUnchangedByDefault() throws {
        let original = try Support.importDocument(try Support.fixture("petstore-http-api.yaml"))
        let exported = try Support.export(original, stageName: "prod")
        expectSameDefinition(original, try Support.importDocument(exported))
        // With basepath=prepend the stage becomes part of every route but $default.
        let prepended = try Support.importDocument(exported, basepath: "prepend")
        #expect(prepended.routes.contains { $0.routeKey == "GET /prod/pets" })
        #expect(prepended.routes.contains { $0.routeKey == "$default" })
    }

    @Test func reimportOfAnExportKeepsTheAPI() throws {
        var original = try Support.importDocument(try Support.fixture("petstore-http-api.yaml"))
        original.stages = [Stage(stageName: "$default", createdDate: Support.now)]
        let exported = try Support.export(original, format: .yaml)
        let reimported = try OpenAPIImporter.reimport(exported, into: original, basepath: nil, failOnWarnings: true, now: Support.now)
        expectSameDefinition(original, reimported)
        #expect(reimported.stages == original.stages)
        #expect(reimported.api.apiId == original.api.apiId)
    }
}
