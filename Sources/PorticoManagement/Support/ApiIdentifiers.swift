import PorticoModel
import PorticoStore

/// New API ids. HTTP APIs and REST APIs share one namespace, as on AWS (both are invoked as
/// `{apiId}.execute-api...`, and the data plane resolves an id without knowing its kind), so an id
/// is fresh only when neither kind uses it.
enum ApiIdentifiers {
    static func newApiId(_ transaction: any StoreTransaction) throws -> String {
        while true {
            let id = Identifier.random(length: Identifier.apiLength)
            if try transaction.apiDocument(id: id) == nil, try transaction.restApiDocument(id: id) == nil {
                return id
            }
        }
    }
}
