import Foundation
import Logging
import PorticoAuth
import PorticoModel
import PorticoStore
import Testing

@testable import PorticoManagement

/// Drives the Lambda operations in process through the responder's router, with a real store,
/// real zips on disk and an ``InProcessFunctionHost`` (SigV4 and the HTTP layer are covered by
/// the end-to-end suite).
struct LambdaHarness {
    let directory: String
    let store: SQLiteStore
    let host = InProcessFunctionHost()
    let responder: ManagementResponder

    static let role = "arn:aws:iam::000000000000:role/lambda-role"

    init(configure: (inout ManagementConfiguration) -> Void = { _ in }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("portico-lambda-\(UUID().uuidString)").path
        store = try SQLiteStore(directory: directory)
        var configuration = ManagementConfiguration()
        configuration.enableReset = true
        configuration.functionCodeDirectory = directory + "/functions"
        configure(&configuration)
        responder = ManagementResponder(
            configuration: configuration, store: store, verifier: SigV4Verifier(mode: .verify(credentials: [:])),
            metricsText: { "" }, logger: Logger(label: "test"), functionHost: host)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    var codeRoot: String { directory + "/functions" }

    struct Reply {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        var json: [String: Any]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        var errorType: String? { header("x-amzn-ErrorType") }
        /// Lambda's errors carry `message` or `Message` by exception.
        var message: String? { (json["message"] ?? json["Message"]) as? String }
        var configuration: [String: Any] { json["Configuration"] as? [String: Any] ?? [:] }
    }

    @discardableResult
    func call(_ method: String, _ path: String, json body: [String: Any]? = nil, raw: [UInt8]? = nil,
              headers: [(name: String, value: String)] = []) async throws -> Reply {
        let bytes = try raw ?? body.map { Array(try JSONSerialization.data(withJSONObject: $0)) } ?? []
        let request = ManagementRequest(method: method, uri: path, headers: headers, body: bytes)
        if path.hasPrefix("/_portico/") {
            return try reply(await responder.respond(to: request, logger: Logger(label: "test")))
        }
        guard case .found(let match) = responder.router.route(method: method, rawPath: request.rawPath) else {
            Issue.record("no operation for \(method) \(path)")
            return Reply(status: 0, headers: [], body: [], json: [:])
        }
        var context = OperationContext(
            request: request, parameters: match.parameters, configuration: responder.configuration, store: store, now: Date())
        context.functionHost = host
        let response: ManagementResponse
        do {
            response = try await match.handler(context)
        } catch let error as APIError {
            response = .lambdaError(error)
        }
        return try reply(response)
    }

    private func reply(_ response: ManagementResponse) throws -> Reply {
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
        return Reply(status: response.status, headers: response.headers, body: response.body, json: json)
    }

    static func pythonZip() throws -> Data {
        try TestZip.make([TestZip.file("app.py", "def handler(event, context):\n    return event\n")])
    }

    @discardableResult
    func create(_ name: String, zip: Data? = nil, _ extra: [String: Any] = [:]) async throws -> Reply {
        var body: [String: Any] = [
            "FunctionName": name, "Runtime": "python3.12", "Handler": "app.handler", "Role": Self.role,
            "Code": ["ZipFile": try (zip ?? Self.pythonZip()).base64EncodedString()],
        ]
        body.merge(extra) { _, new in new }
        return try await call("POST", "/2015-03-31/functions", json: body)
    }
}
