import PorticoModel
import PorticoRuntime

/// HTTP API routes with `authorizationType: AWS_IAM`: once the body is in, the SigV4 check
/// (``IamSignatureCheck``), then the signer's identity policies for `execute-api:Invoke` on the
/// route ARN (`arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}{path}`); explicit
/// Deny wins, and nothing allowing is a deny. HTTP APIs have no resource policies (as on AWS).
extension GatewayHandler {
    func authorizeHttpIam(_ exchange: Exchange, _ pending: DeferredAuthorization) {
        guard let stage = exchange.stage else { return }
        let body = exchange.bufferedRequestBody ?? []
        switch IamSignatureCheck.verify(state.table.iam, head: exchange.head, rawQuery: pending.query, body: body, nowMillis: exchange.startWallMillis) {
        case .failure(let error):
            exchange.errorMessage = error.message
            let type = IamSignatureCheck.responseType(error)
            respond(
                .refused(
                    body: "{\"message\":\(JSONText.quoted(error.message))}", message: error.message, type: type.rawValue,
                    amznErrorType: error.type),
                exchange)
        case .success(let principal):
            let routeArn = "arn:aws:execute-api:\(configuration.region):\(configuration.accountId):\(stage.apiId)/\(stage.name)/"
                + "\(exchange.head.method.rawValue)\(exchange.stagePath)"
            var sourceIp: [UInt8]?
            if principal.policy.readsSourceIp { sourceIp = IPAddressBlock.parseAddress(clientAddress) }
            let decision = principal.policy.decision(action: RestResourcePolicy.invoke, resource: routeArn, caller: principal.caller, sourceIp: sourceIp)
            guard decision == .allow else {
                // The REST wording and `Message` member; HTTP APIs' exact body for an IAM deny is
                // not recorded (a guess).
                let message = IamSignatureCheck.notAuthorizedMessage(userArn: principal.userArn, arn: routeArn, explicit: decision == .explicitDeny)
                exchange.errorMessage = message
                respond(
                    .refused(body: "{\"Message\":\(JSONText.quoted(message))}", message: message, type: "ACCESS_DENIED", amznErrorType: "AccessDeniedException"),
                    exchange)
                return
            }
            exchange.iamPrincipal = principal
            continueAfterAuthorization(exchange, pending)
        }
    }
}
