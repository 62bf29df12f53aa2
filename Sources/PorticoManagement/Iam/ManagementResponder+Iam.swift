import Foundation
import Logging
import PorticoModel

extension ManagementResponder {
    /// An IAM Query request: SigV4 for the service `iam`, then the action, answered in XML.
    /// Errors are IAM's XML errors; a SigV4 failure keeps the management listener's answer.
    func respondToIam(_ request: ManagementRequest, logger: Logger) async -> ManagementResponse {
        if case .failure(let error) = authenticate(request, service: IamRoutes.signingService) {
            logger.debug("IAM request refused by SigV4", metadata: ["error-type": "\(error.type)"])
            return .iamError(IamError(status: error.status, code: error.type, message: error.message), requestId: UUID().uuidString.lowercased())
        }
        let requestId = UUID().uuidString.lowercased()
        guard let parameters = IamRoutes.formParameters(request.body) else {
            return .iamError(.validation("Invalid form body: malformed percent-encoding."), requestId: requestId)
        }
        guard let action = parameters["Action"] else {
            return .iamError(IamError(status: 400, code: "MissingAction", message: "Missing Action"), requestId: requestId)
        }
        let operations = IamOperations(store: store, accountId: configuration.accountId, now: Date())
        do {
            let body = try await operations.run(action, parameters, requestId: requestId)
            // Never log the parameters or the body: CreateAccessKey's answer carries a secret.
            logger.debug("IAM operation", metadata: ["action": "\(action)"])
            return ManagementResponse(status: 200, headers: [("Content-Type", "text/xml")], body: Array(body.utf8))
        } catch let error as IamError {
            return .iamError(error, requestId: requestId)
        } catch {
            logger.error("IAM operation failed", metadata: ["action": "\(action)", "error": "\(String(describing: error))"])
            return .iamError(.internalFailure, requestId: requestId)
        }
    }
}

extension ManagementResponse {
    static func iamError(_ error: IamError, requestId: String) -> ManagementResponse {
        ManagementResponse(
            status: error.status, headers: [("Content-Type", "text/xml")],
            body: Array(error.xml(requestId: requestId).utf8))
    }
}
