import PorticoModel

/// The error messages AWS's `apigateway` (REST API) endpoint sends. Unless a comment says
/// otherwise, each was recorded against real AWS in LocalStack's snapshot tests
/// (`tests/aws/services/apigateway/test_apigateway_api.snapshot.json`, see AWS_FACTS 7).
///
/// Value checks written next to the code that makes them (an unknown logging level, passthrough
/// behaviour or cache size, a non-boolean patch value) use Portico's own wording: clients rely on
/// their type and status (400 `BadRequestException`), which match AWS, not on the text.
enum RestMessages {
    /// `Invalid API identifier specified {account}:{restApiId}`, the same wording as for HTTP APIs.
    static func restApiNotFound(_ restApiId: String, accountId: String) -> APIError {
        AWSMessages.apiNotFound(restApiId, accountId: accountId)
    }

    /// Also what the method, integration and resource operations answer for an unknown API.
    static let resourceNotFound = APIError.notFound("Invalid Resource identifier specified")
    static let methodNotFound = APIError.notFound("Invalid Method identifier specified")
    static let integrationNotFound = APIError.notFound("Invalid Integration identifier specified")
    /// An unknown method response or integration response status code.
    static let responseNotFound = APIError.notFound("Invalid Response status code specified")
    /// Wording as moto and other emulators use it (not in a recorded snapshot).
    static let authorizerNotFound = APIError.notFound("Invalid Authorizer identifier specified")
    /// Recorded (AWS_FACTS 7, `test_authorizer_crud_no_api`): CreateAuthorizer on an unknown API.
    static let authorizerApiNotFound = APIError.conflict("Unable to complete operation due to concurrent modification. Please try again later.")

    /// DeleteAuthorizer while a method uses it: ConflictException, as AWS answers. The wording
    /// follows AWS's HTTP API message ("Cannot delete authorizer '{name}', is referenced in route:
    /// {key}") and a REST report ("... is referenced in method: POST//expenses"); a guess.
    static func authorizerInUse(_ name: String, method: String, path: String) -> APIError {
        .conflict("Cannot delete authorizer '\(name)', is referenced in method: \(method)/\(path)")
    }

    static let requestValidatorNotFound = APIError.notFound("Invalid Request Validator identifier specified")
    /// CreateRequestValidator on an unknown API: AWS answers 400, not 404.
    static let requestValidatorApiNotFound = APIError.badRequest("Invalid REST API identifier specified")
    /// Wording as moto and LocalStack use it (not in a recorded snapshot).
    static let stageNotFound = APIError.notFound("Invalid Stage identifier specified")
    /// Wording as moto and LocalStack use it (not in a recorded snapshot).
    static let deploymentNotFound = APIError.notFound("Invalid Deployment identifier specified")
    static let gatewayResponseNotDefined = APIError.notFound("Gateway response type not defined on api")
    static let parameterNotFound = APIError.notFound("Invalid parameter name specified")
    static let contentTypeNotFound = APIError.notFound("Content-Type specified was not found")

    static func modelNotFound(_ name: String) -> APIError {
        .notFound("Invalid model name specified: \(name)")
    }

    /// A method or method response naming a model the API does not have.
    static func unknownModel(_ name: String) -> APIError {
        .badRequest("Invalid model identifier specified: \(name)")
    }

    static let invalidHttpMethod = APIError.badRequest(
        "Invalid HttpMethod specified. Valid options are \(RestMethod.httpMethods.joined(separator: ","))")
    /// PutMethod/UpdateMethod with CUSTOM or COGNITO_USER_POOLS and no authorizer id, or one the
    /// API does not have (recorded: `test_put_method_validation`, "missing-authorizer-id").
    static let invalidAuthorizer = APIError.badRequest(
        "Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.")
    static let invalidRequestValidator = APIError.badRequest("Invalid Request Validator identifier specified")
    static let duplicateParameterNames = APIError.badRequest("Parameter names must be unique across querystring, header and path")

    static func siblingConflict(_ pathPart: String) -> APIError {
        .conflict("Another resource with the same parent already has this name: \(pathPart)")
    }

    static func variableSibling(_ sibling: String) -> APIError {
        .badRequest("A sibling (\(sibling)) of this resource already has a variable path part -- only one is allowed")
    }

    static func greedyParent(_ pathPart: String) -> APIError {
        .badRequest("Cannot create a child of a resource with a greedy path variable: \(pathPart)")
    }

    static let cyclicalResources = APIError.badRequest("Resources cannot be cyclical.")
    static let rootPathPart = APIError.badRequest("Root resource cannot update its pathPart.")
    static let rootParent = APIError.badRequest("Root resource cannot update its parentId.")
    /// Judgement: AWS has no delete for the root resource; this wording is Portico's.
    static let rootDelete = APIError.badRequest("The root resource of a REST API cannot be deleted.")

    static let modelExists = APIError.conflict("Model name already exists for this REST API")
    static let modelNameEmpty = APIError.badRequest("Model name must be non-empty")

    /// AWS's wording, quoted from its importer's errors (e.g. edx/api-manager#259, api-platform/core#3193).
    static func modelNameNotAlphanumeric(_ name: String) -> APIError {
        .badRequest("Model name must be alphanumeric: \(name)")
    }
    static let modelSchemaEmpty = APIError.badRequest("Model schema must have at least 1 property or array items defined")
    /// Judgement: AWS's wording for a schema that is not JSON was not recorded; this follows the
    /// "Validation Result" form AWS uses for other model and template errors.
    static let modelSchemaInvalid = APIError.badRequest(
        "Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified. Model schema must be valid JSON]")

    static func modelInUse(_ name: String, methodPath: String) -> APIError {
        .conflict("Cannot delete model '\(name)', is referenced in method request: \(methodPath)")
    }

    static let validatorNameBlank = APIError.badRequest("Request Validator name cannot be blank")

    /// CreateDeployment on an API with no method (moto and Terraform issues quote it from AWS).
    static let noMethods = APIError.badRequest("The REST API doesn't contain any methods")
    /// CreateDeployment with a method that has no integration (moto's `NoIntegrationDefined`).
    static let noIntegration = APIError.badRequest("No integration defined for method")
    /// DeleteDeployment while a stage serves it.
    static let deploymentInUse = APIError.badRequest("Active stages pointing to this deployment must be moved or deleted")
    static let stageExists = APIError.conflict("Stage already exists")
    /// Judgement: LocalStack's wording for a stage patch naming a deployment that does not exist.
    static let deploymentIdDoesNotExist = APIError.badRequest("Deployment id does not exist")
    /// Judgement: LocalStack's wording for promoting a canary a stage does not have.
    static let canaryMissing = APIError.badRequest("Promotion not available. Canary does not exist.")
    /// Recorded in LocalStack's `test_apigateway_canary.snapshot.json` (the missing space is AWS's).
    static let canaryWithoutStage = APIError.badRequest(
        "Invalid deployment content specified.Non null and non empty stageName must be provided for canary deployment. Provided value is null")

    /// Recorded in LocalStack's `test_apigateway_canary.snapshot.json`.
    static func canaryStageMissing(_ stageName: String) -> APIError {
        .badRequest("Invalid deployment content specified.Stage \(stageName) must already be created before making a canary release deployment")
    }

    static let emptyDescription = APIError.badRequest("Description cannot be an empty string")
    /// Judgement: AWS's wording for an empty REST API name was not recorded.
    static let emptyApiName = APIError.badRequest("Invalid API name specified")
    static let compressionSize = APIError.badRequest("Invalid minimum compression size, must be between 0 and 10485760")
    static let multipleEndpointTypes = APIError.badRequest("Cannot create an api with multiple Endpoint Types.")
    static let noEndpointTypes = APIError.badRequest("REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.")
    static let privateNeedsDualstack = APIError.badRequest("Only dualstack ipAddressType is supported for Private APIs.")
    static let invalidIpAddressType = APIError.badRequest("ipAddressType must be either ipv4 or dualstack.")
    static let invalidEndpointType = APIError.badRequest("Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE")

    /// Judgement (widely quoted from AWS in Terraform issues, not recorded here).
    static let httpMethodRequired = APIError.badRequest("Enumeration value for HttpMethod must be non-empty")
    /// Judgement (widely quoted from AWS in Terraform issues, not recorded here).
    static let httpUriRequired = APIError.badRequest("Invalid HTTP endpoint specified for URI")
    /// Judgement: the wording for an AWS/AWS_PROXY integration without a URI is Portico's guess.
    static let awsUriRequired = APIError.badRequest("Invalid ARN specified in the request")
    /// AWS's wording for an apigateway service ARN with neither `path/` nor `action/`.
    static let awsArnPathOrAction = APIError.badRequest("AWS ARN for integration must contain path or action")
    /// AWS's wording for an `AWS_PROXY` integration that is not a Lambda (or Firehose) invocation.
    static let awsProxyLambdaOnly = APIError.badRequest(
        "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.")
    /// Judgement (quoted from AWS in Terraform issues).
    static func timeout(maximum: Int) -> APIError {
        .badRequest("Timeout should be between \(RestIntegration.minimumTimeoutMillis) ms and \(maximum) ms")
    }

    /// Judgement: the rule is AWS's documented one ("Stage names can only contain alphanumeric
    /// characters, hyphens, and underscores. Maximum length is 128 characters."); the framing is Portico's.
    static func invalidStageName(_ name: String) -> APIError {
        .badRequest(
            "Stage name is invalid: '\(name)'. Stage names can only contain alphanumeric characters, hyphens, and underscores. Maximum length is 128 characters.")
    }

    /// The model's enum constraint, in AWS's ValidationException wording.
    static func enumViolation(_ value: String, at location: String, allowed: [String]) -> String {
        "Value '\(value)' at '\(location)' failed to satisfy constraint: Member must satisfy enum value set: [\(allowed.joined(separator: ", "))]"
    }

    static func validationErrors(_ errors: [String]) -> APIError {
        let count = errors.count == 1 ? "1 validation error" : "\(errors.count) validation errors"
        return .validation("\(count) detected: \(errors.joined(separator: "; "))")
    }

    static func invalidStatusCode(_ value: String) -> APIError {
        validationErrors([
            "Value '\(value)' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d"
        ])
    }

    /// The order AWS lists the gateway response types in its ValidationException.
    static let gatewayResponseTypeOrder = [
        "REQUEST_TOO_LARGE", "RESOURCE_NOT_FOUND", "AUTHORIZER_CONFIGURATION_ERROR", "MISSING_AUTHENTICATION_TOKEN",
        "BAD_REQUEST_BODY", "INVALID_SIGNATURE", "INVALID_API_KEY", "BAD_REQUEST_PARAMETERS", "AUTHORIZER_FAILURE",
        "UNAUTHORIZED", "INTEGRATION_TIMEOUT", "ACCESS_DENIED", "DEFAULT_4XX", "DEFAULT_5XX", "WAF_FILTERED",
        "QUOTA_EXCEEDED", "THROTTLED", "API_CONFIGURATION_ERROR", "UNSUPPORTED_MEDIA_TYPE", "INTEGRATION_FAILURE",
        "EXPIRED_TOKEN",
    ]

    static func invalidGatewayResponseType(_ value: String) -> APIError {
        validationErrors([enumViolation(value, at: "responseType", allowed: gatewayResponseTypeOrder)])
    }
}
