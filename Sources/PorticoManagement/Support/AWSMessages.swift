import PorticoModel

/// The error messages API Gateway's `apigatewayv2` endpoint sends, in one place so that tests
/// and handlers agree on the wording.
enum AWSMessages {
    /// AWS names the account in this one: `Invalid API identifier specified 123456789012:a1b2c3d4e5`.
    static func apiNotFound(_ apiId: String, accountId: String) -> APIError {
        .notFound("Invalid API identifier specified \(accountId):\(apiId)")
    }

    static func routeNotFound(_ routeId: String) -> APIError {
        .notFound("Invalid Route identifier specified \(routeId)")
    }

    static func integrationNotFound(_ integrationId: String) -> APIError {
        .notFound("Invalid Integration identifier specified \(integrationId)")
    }

    static func stageNotFound(_ stageName: String) -> APIError {
        .notFound("Invalid stage identifier specified \(stageName)")
    }

    static func deploymentNotFound(_ deploymentId: String) -> APIError {
        .notFound("Invalid Deployment identifier specified \(deploymentId)")
    }

    static func authorizerNotFound(_ authorizerId: String) -> APIError {
        .notFound("Invalid Authorizer identifier specified \(authorizerId)")
    }

    /// What AWS answers a path or method it has no operation for.
    static func unknownOperation(method: String, path: String) -> APIError {
        APIError(status: 404, type: "UnknownOperationException", message: "Unknown operation \(method) \(path)")
    }

    /// The auto-deploy status AWS reports on a stage after a successful automatic deployment.
    static func autoDeploySucceeded(_ deploymentId: String) -> String {
        "Successfully deployed stage with deployment ID '\(deploymentId)'"
    }

    static let internalFailure = APIError(status: 500, type: "InternalFailure", message: "Internal server error")
}
