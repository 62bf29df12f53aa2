import Foundation
import Logging
import NIOCore
import PorticoAuth
import PorticoLambda
import PorticoModel
import PorticoStore

/// Turns one request into one response: Portico's admin endpoints, SigV4, the operation router,
/// and AWS-shaped errors. It never throws: every failure becomes a response.
struct ManagementResponder: Sendable {
    let configuration: ManagementConfiguration
    let store: any Store
    let verifier: SigV4Verifier
    let metricsText: @Sendable () -> String
    let logger: Logger
    let router: Router<Operation>
    let functionHost: any FunctionHosting
    let liveUsage: (any LiveUsage)?
    var stageCaches: (any StageCaches)?

    init(
        configuration: ManagementConfiguration, store: any Store, verifier: SigV4Verifier,
        metricsText: @escaping @Sendable () -> String, logger: Logger,
        functionHost: any FunctionHosting = UnavailableFunctionHost(), liveUsage: (any LiveUsage)? = nil
    ) {
        self.configuration = configuration
        self.store = store
        self.verifier = verifier
        self.metricsText = metricsText
        self.logger = logger
        self.router = Self.makeRouter()
        self.functionHost = functionHost
        self.liveUsage = liveUsage
    }

    /// Every `apigatewayv2` and `apigateway` (REST API) operation Portico serves, by method and URI
    /// template (from the botocore models).
    static func makeRouter() -> Router<Operation> {
        var router = Router<Operation>()
        RestApiOperations.register(into: &router)
        RestImportExportOperations.register(into: &router)
        RestResourceOperations.register(into: &router)
        RestMethodOperations.register(into: &router)
        RestMethodResponseOperations.register(into: &router)
        RestIntegrationOperations.register(into: &router)
        RestIntegrationResponseOperations.register(into: &router)
        RestModelOperations.register(into: &router)
        RequestValidatorOperations.register(into: &router)
        RestAuthorizerOperations.register(into: &router)
        GatewayResponseOperations.register(into: &router)
        RestDeploymentOperations.register(into: &router)
        RestStageOperations.register(into: &router)
        RestStageCacheOperations.register(into: &router)
        ApiOperations.register(into: &router)
        RouteOperations.register(into: &router)
        RouteResponseOperations.register(into: &router)
        ModelOperations.register(into: &router)
        IntegrationResponseOperations.register(into: &router)
        IntegrationOperations.register(into: &router)
        StageOperations.register(into: &router)
        DeploymentOperations.register(into: &router)
        AuthorizerOperations.register(into: &router)
        TagOperations.register(into: &router)
        EmptyCollectionOperations.register(into: &router)
        ImportExportOperations.register(into: &router)
        LambdaFunctionOperations.register(into: &router)
        LambdaFunctionUpdateOperations.register(into: &router)
        LambdaPermissionOperations.register(into: &router)
        LambdaConcurrencyOperations.register(into: &router)
        LambdaInvokeOperation.register(into: &router)
        LambdaTagOperations.register(into: &router)
        ApiKeyOperations.register(into: &router)
        UsagePlanOperations.register(into: &router)
        UsagePlanKeyOperations.register(into: &router)
        UsageOperations.register(into: &router)
        return router
    }

    /// The SigV4 signing name of `apigateway` and `apigatewayv2`.
    static let signingService = "apigateway"

    func respond(to request: ManagementRequest, logger: Logger, eventLoop: (any EventLoop)? = nil) async -> ManagementResponse {
        if request.rawPath.hasPrefix("/_portico/") || request.rawPath == "/_portico" {
            return await administrative(request)
        }
        if IamRoutes.isIamRequest(method: request.method, path: request.rawPath, contentType: request.header("content-type")) {
            return await respondToIam(request, logger: logger)
        }
        let lambda = LambdaRoutes.isLambdaPath(request.rawPath)
        // Lambda's operations answer errors in Lambda's shape; everything else in API Gateway's.
        let render = { (error: APIError) -> ManagementResponse in lambda ? .lambdaError(error) : .error(error) }
        switch authenticate(request, service: lambda ? LambdaRoutes.signingService : Self.signingService) {
        case .failure(let error):
            logger.debug("management request refused by SigV4", metadata: ["error-type": "\(error.type)"])
            return .error(error)
        case .success:
            break
        }
        switch router.route(method: request.method, rawPath: request.rawPath) {
        case .notFound, .methodNotAllowed:
            return render(AWSMessages.unknownOperation(method: request.method, path: request.rawPath))
        case .malformedPath:
            return render(.badRequest("Invalid request path: malformed percent-encoding."))
        case .found(let match):
            var context = OperationContext(
                request: request, parameters: match.parameters, configuration: configuration, store: store, now: Date())
            context.functionHost = functionHost
            context.liveUsage = liveUsage
            context.stageCaches = stageCaches
            context.eventLoop = eventLoop
            do {
                return try await match.handler(context)
            } catch let error as APIError {
                return render(error)
            } catch {
                logger.error("management operation failed", metadata: ["error": "\(String(describing: error))"])
                return lambda ? .lambdaError(LambdaErrors.service("Internal server error")) : .error(AWSMessages.internalFailure)
            }
        }
    }

    /// The largest request body accepted for `method` and `uri`, and the error past it: Lambda's
    /// code uploads get Lambda's own request quota.
    func bodyLimit(method: String, uri: String) -> (bytes: Int, error: ManagementResponse) {
        let path = String(uri.prefix { $0 != "?" })
        if let operation = LambdaRoutes.codeUploadOperation(method: method, path: path) {
            let limit = LambdaRoutes.requestLimit(maxZipBytes: configuration.maxFunctionZipBytes)
            // AWS's wording for an oversized CreateFunction or UpdateFunctionCode request.
            return (
                limit,
                .lambdaError(
                    APIError(
                        status: 413, type: "RequestEntityTooLargeException",
                        message: "Request must be smaller than \(limit) bytes for the \(operation) operation"))
            )
        }
        let limit = configuration.maxBodyBytes
        if LambdaRoutes.isLambdaPath(path) {
            return (limit, .lambdaError(APIError(status: 413, type: "RequestTooLargeException", message: "Request must be smaller than \(limit) bytes for this operation")))
        }
        return (limit, .error(APIErrorShapes.payloadTooLarge(limit: limit)))
    }

    func authenticate(_ request: ManagementRequest, service: String) -> Result<Void, APIError> {
        let signed = SigV4Request(
            method: request.method, path: request.rawPath, query: request.rawQuery, headers: request.headers,
            bodySHA256: SigV4Verifier.sha256Hex(request.body))
        switch verifier.verify(signed, now: Date()) {
        case .failure(let error):
            return .failure(error)
        case .success(let identity):
            // AWS's answer to a signature scoped to another service.
            guard identity.service == service else {
                return .failure(
                    APIError(
                        status: 403, type: "InvalidSignatureException",
                        message: "Credential should be scoped to correct service: '\(service)'. "))
            }
            return .success(())
        }
    }

    /// `/_portico/health`, `/_portico/metrics` and `/_portico/reset`: no credentials, for probes,
    /// scrapers and test fixtures.
    private func administrative(_ request: ManagementRequest) async -> ManagementResponse {
        switch (request.method, request.rawPath) {
        case ("GET", "/_portico/health"), ("HEAD", "/_portico/health"):
            return .jsonText(200, #"{"status":"ok"}"#)
        case ("GET", "/_portico/metrics"):
            return ManagementResponse(
                status: 200, headers: [("Content-Type", "text/plain; version=0.0.4")], body: Array(metricsText().utf8))
        case ("POST", "/_portico/reset") where configuration.enableReset:
            do {
                let functions = try await store.transaction { transaction in
                    let names = try transaction.allLambdaFunctions().map(\.functionName)
                    try transaction.deleteEverything()
                    return names
                }
                let code = FunctionCodeStorage(configuration)
                for name in functions {
                    functionHost.remove(functionName: name)
                    code.removeAll(functionName: name)
                }
                logger.notice("store reset through /_portico/reset")
                return .jsonText(200, "{}")
            } catch {
                logger.error("reset failed", metadata: ["error": "\(String(describing: error))"])
                return .error(AWSMessages.internalFailure)
            }
        case ("GET", let path) where path.hasPrefix(LambdaRoutes.codeLocationPrefix):
            return LambdaFunctionOperations.serveCode(path: path, storage: FunctionCodeStorage(configuration))
        default:
            return .error(.notFound("Not Found"))
        }
    }
}
