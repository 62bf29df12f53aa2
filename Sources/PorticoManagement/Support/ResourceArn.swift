import PorticoModel

/// The resources `TagResource`, `UntagResource` and `GetTags` accept, from their ARNs:
/// `arn:aws:apigateway:{region}::/apis/{apiId}`, `arn:aws:apigateway:{region}::/apis/{apiId}/stages/{stageName}`
/// (HTTP APIs), and the same with `/restapis/` for REST APIs.
enum ResourceArn: Equatable, Sendable {
    case api(apiId: String)
    case stage(apiId: String, stageName: String)
    case restApi(restApiId: String)
    case restStage(restApiId: String, stageName: String)

    var apiId: String {
        switch self {
        case .api(let apiId), .stage(let apiId, _), .restApi(let apiId), .restStage(let apiId, _): apiId
        }
    }

    /// Whether the ARN names a REST API or one of its stages.
    var isRest: Bool {
        switch self {
        case .api, .stage: false
        case .restApi, .restStage: true
        }
    }

    /// Parses `arn`; a resource in another region does not exist here (`NotFoundException`).
    init(parsing arn: String, region: String, accountId: String) throws(APIError) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "apigateway", parts[4].isEmpty
        else {
            throw .badRequest("Invalid resource ARN specified: \(arn)")
        }
        let path = parts[5].split(separator: "/", omittingEmptySubsequences: false)
        guard path.count >= 3, path[0].isEmpty, path[1] == "apis" || path[1] == "restapis", !path[2].isEmpty else {
            throw .badRequest("Invalid resource ARN specified: \(arn)")
        }
        let apiId = String(path[2])
        guard parts[3] == region else {
            throw AWSMessages.apiNotFound(apiId, accountId: accountId)
        }
        let rest = path[1] == "restapis"
        switch path.count {
        case 3:
            self = rest ? .restApi(restApiId: apiId) : .api(apiId: apiId)
        case 5 where path[3] == "stages" && !path[4].isEmpty:
            let stageName = String(path[4])
            self = rest ? .restStage(restApiId: apiId, stageName: stageName) : .stage(apiId: apiId, stageName: stageName)
        default:
            throw .badRequest("Invalid resource ARN specified: \(arn). Tags are supported on APIs and stages.")
        }
    }

    static func api(_ apiId: String, region: String) -> String {
        "arn:aws:apigateway:\(region)::/apis/\(apiId)"
    }

    static func stage(_ apiId: String, _ stageName: String, region: String) -> String {
        "arn:aws:apigateway:\(region)::/apis/\(apiId)/stages/\(stageName)"
    }
}
