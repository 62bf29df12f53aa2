import Foundation
import Logging
import PorticoAuth
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

    init(
        configuration: ManagementConfiguration, store: any Store, verifier: SigV4Verifier,
        metricsText: @escaping @Sendable () -> String, logger: Logger
    ) {
        self.configuration = configuration
        self.store = store
        self.verifier = verifier
        self.metricsText = metricsText
        self.logger = logger
        self.router = Self.makeRouter()
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
        GatewayResponseOperations.register(into: &router)
        RestDeploymentOperations.register(into: &router)
        RestStageOperations.register(into: &router)
        ApiOperations.register(into: &router)
        RouteOperations.register(into: &router)
        IntegrationOperations.register(into: &router)
        StageOperations.register(into: &router)
        DeploymentOperations.register(into: &router)
        TagOperations.register(into: &router)
        EmptyCollectionOperations.register(into: &router)
        ImportExportOperations.register(into: &router)
        return router
    }

    /// The SigV4 signing name of `apigateway` and `apigatewayv2`.
    static let signingService = "apigateway"

    func respond(to request: ManagementRequest, logger: Logger) async -> ManagementResponse {
        if request.rawPath.hasPrefix("/_portico/") || request.rawPath == "/_portico" {
            return await administrative(request)
        }
        switch authenticate(request) {
        case .failure(let error):
            logger.debug("management request refused by SigV4", metadata: ["error-type": "\(error.type)"])
            return .error(error)
        case .success:
            break
        }
        switch router.route(method: request.method, rawPath: request.rawPath) {
        case .notFound, .methodNotAllowed:
            return .error(AWSMessages.unknownOperation(method: request.method, path: request.rawPath))
        case .malformedPath:
            return .error(.badRequest("Invalid request path: malformed percent-encoding."))
        case .found(let match):
            let context = OperationContext(
                request: request, parameters: match.parameters, configuration: configuration, store: store, now: Date())
            do {
                return try await match.handler(context)
            } catch let error as APIError {
                return .error(error)
            } catch {
                logger.error("management operation failed", metadata: ["error": "\(String(describing: error))"])
                return .error(AWSMessages.internalFailure)
            }
        }
    }

    private func authenticate(_ request: ManagementRequest) -> Result<Void, APIError> {
        let signed = SigV4Request(
            method: request.method, path: request.rawPath, query: request.rawQuery, headers: request.headers,
            bodySHA256: SigV4Verifier.sha256Hex(request.body))
        switch verifier.verify(signed, now: Date()) {
        case .failure(let error):
            return .failure(error)
        case .success(let identity):
            // AWS's answer to a signature scoped to another service.
            guard identity.service == Self.signingService else {
                return .failure(
                    APIError(
                        status: 403, type: "InvalidSignatureException",
                        message: "Credential should be scoped to correct service: '\(Self.signingService)'. "))
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
                try await store.transaction { transaction in try transaction.deleteEverything() }
                logger.notice("store reset through /_portico/reset")
                return .jsonText(200, "{}")
            } catch {
                logger.error("reset failed", metadata: ["error": "\(String(describing: error))"])
                return .error(AWSMessages.internalFailure)
            }
        default:
            return .error(.notFound("Not Found"))
        }
    }
}
