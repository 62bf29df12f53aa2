import Foundation
import NIOHTTP1
import PorticoAuth
import PorticoModel
import PorticoRuntime

/// Who may call `@connections` (POST, GET, DELETE on `{stage}/@connections/{connectionId}`).
///
/// AWS requires IAM: the call is signed with SigV4 for `execute-api` and the signer's policies must
/// allow `execute-api:ManageConnections` on `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/@connections/{connectionId}`
/// (AWS developer guide, "Control access to WebSocket APIs with IAM authorization"). The last
/// segment is the literal text `{connectionId}`, not the connection's id: AWS's refusals name
/// `.../POST/@connections/{connectionId}` and `.../DELETE/@connections/{connectionId}` whatever
/// the id, so a policy can grant a method on a stage's connections but not single connections.
///
/// Portico accepts, in this order:
/// 1. the management API's credentials (`--access-key-id`/`--secret-access-key`, the credentials
///    file): a valid signature has full access, as the account's root would on AWS;
/// 2. a managed IAM user's key (``IamCredentialTable``): a valid signature, then its policies;
/// 3. with no management credentials (development mode, management bound to loopback), any other
///    well-formed SigV4 signature, exactly as the management API accepts it in that mode. A
///    managed IAM user's key is still checked (signature and policies) in that mode.
extension GatewayHandler {
    static let manageConnections = "execute-api:ManageConnections"

    /// nil when the call may go on, else the refusal to answer.
    /// - Parameter resource: the end of the IAM resource ARN after `{apiId}/{stage}/{METHOD}/`; Portico's
    ///   broadcast and groups name theirs `@broadcast` and `@groups/{group}` (docs/WEBSOCKET_APIS.md).
    func authorizeConnections(
        _ exchange: Exchange, stage: RuntimeStage, body: [UInt8], resource: String = "@connections/{connectionId}"
    ) -> GatewayResponse? {
        let head = exchange.head
        let uri = head.uri
        let rawQuery = uri.firstIndex(of: "?").map { uri[uri.index(after: $0)...] } ?? ""
        let now = exchange.startWallMillis
        let management = configuration.managementCredentials
        if !management.isEmpty {
            let uriPath = uri.firstIndex(of: "?").map { String(uri[..<$0]) } ?? uri
            let request = SigV4Request(
                method: head.method.rawValue, path: uriPath, query: String(rawQuery), headers: head.headers.map { ($0.name, $0.value) },
                bodySHA256: SigV4Verifier.sha256Hex(body))
            let verifier = SigV4Verifier(mode: .verify(credentials: management), maxClockSkew: IamSignatureCheck.clockSkewSeconds)
            switch verifier.verify(request, now: Date(timeIntervalSince1970: Double(now) / 1000)) {
            case .success(let signer) where signer.service == IamSignatureCheck.service:
                return nil
            case .success:
                return Self.signatureRefusal(
                    APIError(
                        status: 403, type: "InvalidSignatureException",
                        message: "Credential should be scoped to correct service: '\(IamSignatureCheck.service)'. "))
            case .failure(let error) where error.type != "UnrecognizedClientException":
                return Self.signatureRefusal(error)
            case .failure:
                break  // not a management key: perhaps an IAM user's
            }
        }
        switch IamSignatureCheck.verify(state.table.iam, head: head, rawQuery: rawQuery, body: body, nowMillis: now) {
        case .failure(let error):
            if management.isEmpty, error.type == "UnrecognizedClientException", !managesSigner(head, rawQuery: rawQuery) {
                // Development mode: any well-formed signature by a key Portico does not manage. Temporary
                // credentials Portico minted are still checked (a wrong or missing session token is refused).
                return nil
            }
            return Self.signatureRefusal(error)
        case .success(let principal):
            let arn = "arn:aws:execute-api:\(configuration.region):\(configuration.accountId):\(stage.apiId)/\(stage.name)/"
                + "\(head.method.rawValue)/\(resource)"
            var sourceIp: [UInt8]?
            if principal.policy.readsSourceIp { sourceIp = IPAddressBlock.parseAddress(clientAddress) }
            let decision = principal.policy.decision(action: Self.manageConnections, resource: arn, caller: principal.caller, sourceIp: sourceIp)
            guard decision == .allow else {
                // AWS's answer: 403 `AccessDeniedException`, `{"Message":"User: ... is not authorized to
                // perform: execute-api:ManageConnections on resource: ..."}` (account id masked).
                let message = IamSignatureCheck.notAuthorizedMessage(
                    userArn: principal.userArn, arn: arn, explicit: decision == .explicitDeny, action: Self.manageConnections)
                return .refused(
                    body: "{\"Message\":\(JSONText.quoted(message))}", message: message, type: "ACCESS_DENIED", amznErrorType: "AccessDeniedException")
            }
            return nil
        }
    }

    /// Whether the request's signature names a key Portico manages (a user's or live temporary credentials).
    private func managesSigner(_ head: HTTPRequestHead, rawQuery: Substring) -> Bool {
        let uri = head.uri
        let path = uri.firstIndex(of: "?").map { String(uri[..<$0]) } ?? uri
        let request = SigV4Request(
            method: head.method.rawValue, path: path, query: String(rawQuery), headers: head.headers.map { ($0.name, $0.value) }, bodySHA256: "")
        guard let accessKeyId = SigV4Verifier.accessKeyId(of: request) else { return false }
        return state.table.iam.manages(accessKeyId: accessKeyId)
    }

    /// A SigV4 failure as API Gateway answers it: 403 with `{"message": ...}` and the error type
    /// (`Missing Authentication Token` when unsigned).
    static func signatureRefusal(_ error: APIError) -> GatewayResponse {
        .refused(
            body: "{\"message\":\(JSONText.quoted(error.message))}", message: error.message,
            type: IamSignatureCheck.responseType(error).rawValue, amznErrorType: error.type)
    }
}

/// `AWS_IAM` on `$connect` (AWS, "Control access to WebSocket APIs with IAM authorization"): the
/// handshake request is signed with SigV4 for `execute-api` (a GET with no body, often presigned in
/// the URL's query, since browsers cannot set headers on a WebSocket handshake) and the signer's
/// policies must allow `execute-api:Invoke` on `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/$connect`
/// (WebSocket routes' ARN format: `{apiId}/{stage}/{routeKey}`). A refusal fails the handshake with
/// 403 and the same bodies as REST and HTTP APIs (AWS answers a refused WebSocket handshake 403; its
/// exact body is not recorded, a guess).
extension GatewayHandler {
    /// nil with `principal` set when the handshake may go on, else the refusal to answer.
    func authorizeConnectIam(
        _ exchange: Exchange, stage: RuntimeStage, query: Substring, principal signer: inout IamCredentialTable.Principal?
    ) -> GatewayResponse? {
        switch IamSignatureCheck.verify(state.table.iam, head: exchange.head, rawQuery: query, body: [], nowMillis: exchange.startWallMillis) {
        case .failure(let error):
            return Self.signatureRefusal(error)
        case .success(let principal):
            let arn = "arn:aws:execute-api:\(configuration.region):\(configuration.accountId):\(stage.apiId)/\(stage.name)/$connect"
            var sourceIp: [UInt8]?
            if principal.policy.readsSourceIp { sourceIp = IPAddressBlock.parseAddress(clientAddress) }
            let decision = principal.policy.decision(action: RestResourcePolicy.invoke, resource: arn, caller: principal.caller, sourceIp: sourceIp)
            guard decision == .allow else {
                let message = IamSignatureCheck.notAuthorizedMessage(userArn: principal.userArn, arn: arn, explicit: decision == .explicitDeny)
                return .refused(
                    body: "{\"Message\":\(JSONText.quoted(message))}", message: message, type: "ACCESS_DENIED", amznErrorType: "AccessDeniedException")
            }
            signer = principal
            return nil
        }
    }
}
