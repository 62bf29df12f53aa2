import PorticoModel
import PorticoRuntime

/// `AWS_IAM` methods and REST resource policies: the SigV4 check (``IamSignatureCheck``), the
/// signer's identity policies for `execute-api:Invoke` on the method ARN, and the deployed
/// resource policy, combined as ``RestResourcePolicy`` describes.
extension RestPipeline {
    func authorizeWithPolicies(_ method: RestRuntimeMethod) -> RestResponse? {
        let resourcePolicy = rest.deployment?.resourcePolicy
        guard method.requiresSignature || resourcePolicy != nil else { return nil }
        var caller: IamPolicy.Caller?
        if method.requiresSignature {
            switch IamSignatureCheck.verify(
                state.table.iam, head: exchange.head, rawQuery: rest.rawQuery, body: rest.body, nowMillis: exchange.startWallMillis)
            {
            case .failure(let error):
                return signatureFailure(error)
            case .success(let principal):
                rest.iamPrincipal = principal
                rest.contextCache = nil
                caller = principal.caller
            }
        }
        let methodArn = self.methodArn(method)
        var sourceIp: [UInt8]?
        if resourcePolicy?.readsSourceIp == true || rest.iamPrincipal?.policy.readsSourceIp == true {
            sourceIp = IPAddressBlock.parseAddress(clientAddress)
        }
        let identity = rest.iamPrincipal.map {
            $0.policy.decision(action: RestResourcePolicy.invoke, resource: methodArn, caller: caller, sourceIp: sourceIp)
        }
        let resource = resourcePolicy?.decision(methodArn: methodArn, caller: caller, sourceIp: sourceIp)
        let outcome: IamPolicy.Decision
        if method.authorizer != nil || method.authorizerUnusable {
            // Lambda or Cognito authorizer: the resource policy's explicit deny is checked before
            // the authorizer runs; the authorizer's own policy decides the rest.
            outcome = resource == .explicitDeny ? .explicitDeny : .allow
        } else {
            outcome = RestResourcePolicy.combine(identity: identity, resource: resource)
        }
        guard outcome != .allow else { return nil }
        return accessDenied(
            IamSignatureCheck.notAuthorizedMessage(userArn: rest.iamPrincipal?.userArn, arn: methodArn, explicit: outcome == .explicitDeny))
    }

    /// A SigV4 failure through the deployment's gateway responses; not customised, the body is
    /// AWS's `{"message": ...}` and `x-amzn-ErrorType` names the SigV4 exception.
    private func signatureFailure(_ error: APIError) -> RestResponse {
        exchange.errorMessage = error.message
        let response = gatewayResponse(IamSignatureCheck.responseType(error), message: error.message)
        if !response.headers.contains(where: { $0.0.lowercased() == "x-amzn-errortype" }) {
            response.headers.append(("x-amzn-ErrorType", error.type))
        }
        return response
    }
}
