import Foundation
import PorticoModel
import PorticoStore
import Testing

@testable import PorticoManagement

/// ImportRestApi, PutRestApi and GetExport in process: routing, status codes and transactions.
struct RestImportExportOperationTests {
    static let definition = """
        swagger: "2.0"
        info: {title: pets, version: "7"}
        paths:
          /pets:
            get:
              responses: {"200": {description: ok}}
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates: {application/json: '{"statusCode": 200}'}
                responses: {default: {statusCode: "200"}}
        """

    @Test func importPutAndExportAreOneTransactionEach() async throws {
        let harness = try OperationHarness()
        defer { harness.cleanUp() }
        let imported = try await harness.call("POST", "/restapis?mode=import&failonwarnings=true", Self.definition)
        #expect(imported.status == 201)
        #expect(imported.json["name"] as? String == "pets")
        let apiId = try #require(imported.json["id"] as? String)

        // A failed import stores nothing, a failed put changes nothing.
        let broken = Self.definition.replacingOccurrences(of: "type: mock", with: "type: lambda")
        #expect(try await harness.call("POST", "/restapis?mode=import", broken).status == 400)
        #expect(try await harness.store.transaction { try $0.allRestApiDocuments().count } == 1)
        let before = try await harness.store.transaction { try $0.restApiDocument(id: apiId) }
        #expect(try await harness.call("PUT", "/restapis/\(apiId)?mode=overwrite", broken).status == 400)
        #expect(try await harness.store.transaction { try $0.restApiDocument(id: apiId) } == before)

        let put = try await harness.call("PUT", "/restapis/\(apiId)?mode=overwrite", Self.definition.replacingOccurrences(of: "/pets", with: "/cats"))
        #expect(put.status == 200)
        let document = try #require(try await harness.store.transaction { try $0.restApiDocument(id: apiId) })
        #expect(document.resources.map(\.path).sorted() == ["/", "/cats"])

        #expect(try await harness.call("GET", "/restapis/\(apiId)/stages/prod/exports/oas30").errorType == "NotFoundException")
        #expect(try await harness.call("POST", "/restapis/\(apiId)/deployments", #"{"stageName":"prod"}"#).status == 201)
        let exported = try await harness.call("GET", "/restapis/\(apiId)/stages/prod/exports/swagger?extensions=integrations")
        #expect(exported.status == 200)
        #expect(exported.json["basePath"] as? String == "/prod")
        #expect((exported.json["paths"] as? [String: Any])?.keys.sorted() == ["/cats"])
        #expect(try await harness.call("GET", "/restapis/\(apiId)/stages/prod/exports/swagger?extensions=all").status == 400)
        #expect(try await harness.call("PUT", "/restapis/\(apiId)?mode=upsert", Self.definition).status == 400)
        #expect(try await harness.call("PUT", "/restapis/nope000000", Self.definition).errorType == "NotFoundException")
    }
}
