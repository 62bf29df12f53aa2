import PorticoModel
import PorticoStore

/// Reading REST API documents the way the `apigateway` operations need them, with AWS's
/// NotFound answers.
extension OperationContext {
    /// The `{restapi_id}` of the operation's URI.
    var restApiId: String { parameter("restapi_id") }

    /// The REST API's document, or `Invalid API identifier specified {account}:{id}`.
    func restDocument(_ transaction: any StoreTransaction, _ restApiId: String) throws -> RestApiDocument {
        guard let document = try transaction.restApiDocument(id: restApiId) else {
            throw RestMessages.restApiNotFound(restApiId, accountId: configuration.accountId)
        }
        return document
    }

    /// Reads the REST API `{restapi_id}` (404 when unknown) in one transaction.
    func readRestDocument<T: Sendable>(_ read: @escaping @Sendable (RestApiDocument, any StoreTransaction) throws -> T) async throws -> T {
        let restApiId = self.restApiId
        return try await transaction { transaction in try read(try restDocument(transaction, restApiId), transaction) }
    }

    /// Loads the REST API `{restapi_id}` (404 when unknown), runs `change` on its document and
    /// saves it, all in one transaction: if `change` throws, nothing is written.
    func changeRestDocument<T: Sendable>(
        _ change: @escaping @Sendable (inout RestApiDocument, any StoreTransaction) throws -> T
    ) async throws -> T {
        let restApiId = self.restApiId
        return try await transaction { transaction in
            var document = try restDocument(transaction, restApiId)
            let result = try change(&document, transaction)
            try transaction.putRestApiDocument(document)
            return result
        }
    }

    /// The document and the index of `{resource_id}`. The resource, method and integration
    /// operations answer an unknown API exactly as an unknown resource (AWS's behaviour).
    func restResource(_ transaction: any StoreTransaction) throws -> (document: RestApiDocument, index: Int) {
        guard let document = try transaction.restApiDocument(id: restApiId),
            let index = document.resourceIndex(parameter("resource_id"))
        else {
            throw RestMessages.resourceNotFound
        }
        return (document, index)
    }

    /// Runs `change` on the method `{http_method}` of `{resource_id}` and saves the document;
    /// returns the changed method.
    func changeRestMethod(
        _ transaction: any StoreTransaction, _ change: (inout RestMethod, RestApiDocument) throws -> Void
    ) throws -> RestMethod {
        var (document, index) = try restResource(transaction)
        let httpMethod = parameter("http_method")
        guard var method = document.resources[index].method(httpMethod) else { throw RestMessages.methodNotFound }
        try change(&method, document)
        document.resources[index].resourceMethods?[httpMethod] = method
        try transaction.putRestApiDocument(document)
        return method
    }

    /// The method `{http_method}` of `{resource_id}`.
    func restMethod(_ transaction: any StoreTransaction) throws -> RestMethod {
        let (document, index) = try restResource(transaction)
        guard let method = document.resources[index].method(parameter("http_method")) else { throw RestMessages.methodNotFound }
        return method
    }

    /// `{status_code}`, checked against AWS's `[1-5]\d\d` pattern before anything is read.
    func restStatusCode() throws(APIError) -> String {
        let code = parameter("status_code")
        let bytes = Array(code.utf8)
        guard bytes.count == 3, (UInt8(ascii: "1")...UInt8(ascii: "5")).contains(bytes[0]),
            bytes[1...].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else {
            throw RestMessages.invalidStatusCode(code)
        }
        return code
    }

    /// `limit` and `position` of a REST list operation, applied to `items`.
    func restPage<Item>(_ items: [Item], kind: String, key: (Item) -> String) throws -> Pagination.Page<Item> {
        let query = try query()
        return try Pagination.page(
            items, kind: kind, key: key, maxResults: query.first("limit"), nextToken: query.first("position"),
            parameters: .rest)
    }
}

/// The body of every REST API list operation: `{"item": [...], "position": "..."}` (the wire
/// names of botocore's `items`/`position` members).
struct RestListPage<Item: Encodable>: Encodable {
    var item: [Item]
    var position: String?

    init(_ page: Pagination.Page<Item>) {
        item = page.items
        position = page.nextToken
    }
}
