import PorticoModel

/// AWS's per-API quotas for HTTP APIs ("Amazon API Gateway quotas for configuring and running an HTTP
/// API"): 300 routes, 300 integrations and 10 stages per API. The data plane's design (a route table
/// compiled per stage, snapshots per deployment) assumes documents of that size, so Portico enforces
/// them as AWS does. AWS's wording for the refusal is not recorded; these messages name the quota.
enum ApiQuotas {
    static let routesPerApi = 300
    static let integrationsPerApi = 300
    static let stagesPerApi = 10

    static func check(_ document: ApiDocument) throws(APIError) {
        if document.routes.count > routesPerApi {
            throw APIError.badRequest("The API has \(document.routes.count) routes; the quota is \(routesPerApi) routes per API.")
        }
        if document.integrations.count > integrationsPerApi {
            throw APIError.badRequest(
                "The API has \(document.integrations.count) integrations; the quota is \(integrationsPerApi) integrations per API.")
        }
        if document.stages.count > stagesPerApi {
            throw APIError.badRequest("The API has \(document.stages.count) stages; the quota is \(stagesPerApi) stages per API.")
        }
    }
}
