import Foundation
import PorticoModel
import Testing

/// Fixtures and comparisons shared by the OpenAPI tests.
enum OpenAPITestSupport {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let now = Date(timeIntervalSince1970: 1_717_243_200)  // 2024-06-01 12:00:00 UTC

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    static func importDocument(
        _ text: String, basepath: String? = nil, failOnWarnings: Bool = false
    ) throws(APIError) -> ApiDocument {
        try OpenAPIImporter.makeDocument(from: text, apiId: "a1b2c3d4e5", basepath: basepath, failOnWarnings: failOnWarnings, now: now)
    }

    /// The error an import throws, or `nil` when it succeeds.
    static func importError(_ text: String, basepath: String? = nil, failOnWarnings: Bool = false) -> APIError? {
        do {
            _ = try importDocument(text, basepath: basepath, failOnWarnings: failOnWarnings)
            return nil
        } catch {
            return error
        }
    }

    /// A route as it can be compared across imports: its key, its operation name and the integration
    /// it targets with the id left out.
    struct ComparableRoute: Equatable, CustomStringConvertible {
        var routeKey: String
        var operationName: String?
        var integration: Integration?
        var description: String { "\(routeKey) -> \(integration?.integrationType ?? "none") \(integration?.integrationUri ?? "")" }
    }

    static func comparableRoutes(_ document: ApiDocument) -> [ComparableRoute] {
        document.routes.map { route in
            var integration = route.targetIntegrationId.flatMap { document.integration($0) }
            integration?.integrationId = ""
            return ComparableRoute(routeKey: route.routeKey, operationName: route.operationName, integration: integration)
        }.sorted { $0.routeKey < $1.routeKey }
    }

    /// The integrations with their ids left out, in a stable order.
    static func comparableIntegrations(_ document: ApiDocument) -> [Integration] {
        document.integrations.map { integration in
            var integration = integration
            integration.integrationId = ""
            return integration
        }.sorted { ($0.integrationUri ?? "", $0.integrationMethod ?? "") < ($1.integrationUri ?? "", $1.integrationMethod ?? "") }
    }

    static func export(
        _ document: ApiDocument, format: OpenAPIFormat = .json, includeExtensions: Bool = true, stageName: String? = nil,
        serverURL: String? = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"
    ) throws(APIError) -> String {
        try OpenAPIExporter.export(
            api: document.api, routes: document.routes, integrations: document.integrations, stageName: stageName, format: format,
            includeExtensions: includeExtensions, serverURL: serverURL)
    }
}
