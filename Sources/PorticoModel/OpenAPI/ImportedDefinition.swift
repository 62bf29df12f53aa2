/// An OpenAPI definition read and checked, before it becomes an ``ApiDocument``: everything the
/// importer takes from it, with integrations deduplicated and not yet given ids.
struct ImportedDefinition: Sendable {
    struct ImportedRoute: Sendable, Equatable {
        var routeKey: String
        var operationName: String?
        /// Index into ``ImportedDefinition/integrations``; `nil` for a route without an integration.
        var integrationIndex: Int?
        /// The Lambda authorizer (security scheme) that protects the route.
        var authorizerName: String?
        /// A JWT authorizer's scopes, from the security requirement's list.
        var authorizationScopes: [String] = []
        /// The requirement names an `awsSigv4` scheme: the route uses IAM authorization.
        var usesIam = false
    }

    var name: String
    var version: String?
    var description: String?
    var corsConfiguration: CorsConfiguration?
    var tags: [String: String] = [:]
    /// From a server's `x-amazon-apigateway-endpoint-configuration`; `nil` when the definition says nothing.
    var disableExecuteApiEndpoint: Bool?
    var ipAddressType: String?
    var routes: [ImportedRoute] = []
    /// Integrations with an empty `integrationId`; ids are assigned when the document is built.
    var integrations: [Integration] = []
    /// Lambda authorizers from `x-amazon-apigateway-authorizer` schemes, named after them, without ids.
    var authorizers: [Authorizer] = []
    var diagnostics = ImportDiagnostics()

    init(name: String) {
        self.name = name
    }

    /// The index of an integration equal to `integration`, adding it when there is none. Identical
    /// integration definitions on several operations (as an export writes a shared integration, or
    /// as `$ref`s to one `components.x-amazon-apigateway-integrations` entry produce) become one
    /// integration that all their routes target.
    mutating func index(of integration: Integration) -> Int {
        if let existing = integrations.firstIndex(of: integration) { return existing }
        integrations.append(integration)
        return integrations.count - 1
    }
}
