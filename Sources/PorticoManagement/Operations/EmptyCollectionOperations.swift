import PorticoModel

/// Read operations for `apigatewayv2` resources Portico does not have yet (custom domain
/// names, VPC links), answered as AWS answers an
/// account or API that has none: an empty list, or NotFound for an id. Tools that list
/// sub-resources (Terraform data sources and refreshes, console-like UIs, scripts) then see a valid
/// empty read instead of an unknown operation. Creating these resources is still an unknown
/// operation until the features exist.
enum EmptyCollectionOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("GET", "/v2/domainnames", empty)
        router.add("GET", "/v2/domainnames/{domainName}", domainNameNotFound)
        router.add("GET", "/v2/domainnames/{domainName}/apimappings", domainNameNotFound)
        router.add("GET", "/v2/vpclinks", empty)
    }

    private struct Items: Encodable {
        var items: [String] = []
    }

    @Sendable static func empty(_ context: OperationContext) async throws -> ManagementResponse {
        try .json(200, Items())
    }

    @Sendable static func domainNameNotFound(_ context: OperationContext) async throws -> ManagementResponse {
        throw APIError.notFound("Invalid domain name identifier specified \(context.parameter("domainName"))")
    }
}
