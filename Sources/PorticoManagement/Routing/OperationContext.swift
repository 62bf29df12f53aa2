import Foundation
import NIOCore
import PorticoLambda
import PorticoModel
import PorticoStore

/// A management operation: reads its request through the context and answers a response or
/// throws an ``APIError`` (any other error becomes a 500 and is logged).
typealias Operation = @Sendable (OperationContext) async throws -> ManagementResponse

/// Everything an operation sees: the request, the path parameters of its template, the store and
/// the configuration, and one clock reading for the whole call.
struct OperationContext: Sendable {
    let request: ManagementRequest
    let parameters: [String: String]
    let configuration: ManagementConfiguration
    let store: any Store
    let now: Date
    /// The function host the Lambda operations tell about changes and invoke through.
    var functionHost: any FunctionHosting = UnavailableFunctionHost()
    /// The event loop of the connection the request came on (Invoke's answer arrives on it).
    var eventLoop: (any EventLoop)? = nil
    /// The data plane's live quota counters (GetUsage, UpdateUsage); `nil` without a data plane.
    var liveUsage: (any LiveUsage)? = nil
    /// The data plane's stage caches (FlushStageCache); `nil` without a data plane.
    var stageCaches: (any StageCaches)? = nil

    /// A path parameter of the operation's URI template (already percent-decoded).
    func parameter(_ name: String) -> String {
        parameters[name] ?? ""
    }

    func body() throws(APIError) -> JSONBody {
        try JSONBody(bytes: request.body)
    }

    func query() throws(APIError) -> QueryParameters {
        QueryParameters(items: try request.queryItems())
    }

    /// Runs `body` as the operation's one store transaction.
    func transaction<T: Sendable>(_ body: @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await store.transaction(body)
    }

    /// The API's document, or AWS's `NotFoundException` for an unknown id.
    func document(_ transaction: any StoreTransaction, _ apiId: String) throws -> ApiDocument {
        guard let document = try transaction.apiDocument(id: apiId) else {
            throw AWSMessages.apiNotFound(apiId, accountId: configuration.accountId)
        }
        return document
    }

    /// The API as the management API shows it, with its endpoint filled in.
    func view(_ api: Api) -> Api {
        var api = api
        api.apiEndpoint = configuration.apiEndpointFormat.replacingOccurrences(of: "{apiId}", with: api.apiId)
        if api.protocolType == .websocket, let endpoint = api.apiEndpoint, endpoint.hasPrefix("http") {
            // AWS shows WebSocket APIs' endpoints as wss://{apiId}.execute-api.{region}.amazonaws.com.
            api.apiEndpoint = "ws" + endpoint.dropFirst(4)
        }
        return api
    }
}

/// The decoded query string of a request.
struct QueryParameters: Sendable {
    var items: [(name: String, value: String)]

    func first(_ name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    func all(_ name: String) -> [String] {
        items.filter { $0.name == name }.map(\.value)
    }

    /// `true`/`false` as botocore serialises booleans in a query string.
    func bool(_ name: String) throws(APIError) -> Bool? {
        guard let text = first(name) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw .badRequest("Invalid value for query parameter '\(name)': '\(text)'. Expected true or false.")
        }
    }
}
