import Foundation
import NIOHTTP1
import PorticoAuth
import PorticoModel
import PorticoRuntime

/// SigV4 verification of a data-plane request to an `AWS_IAM` method or route, shared by the
/// REST pipeline and HTTP APIs.
///
/// The canonical request is rebuilt from the request exactly as received: the path as the client
/// sent it (path-style `/_aws/execute-api/...` URLs included, since that is the URL the client
/// signed), encoded once more as botocore does for every service but S3 (so `%2F` signs as
/// `%252F`, which is what API Gateway expects from execute-api clients), the raw query and a
/// hash of the whole body. Keys come from the runtime table's ``IamCredentialTable``: an unknown
/// or inactive key answers "The security token included in the request is invalid.". Temporary
/// credentials of local function processes (`ASIA...`) are accepted with their session token
/// (`X-Amz-Security-Token`) and act as their role.
enum IamSignatureCheck {
    /// API Gateway's window: "Signature expired: ... (... - 5 min.)".
    static let clockSkewSeconds = 300.0
    static let service = "execute-api"

    static func verify(
        _ table: IamCredentialTable, head: HTTPRequestHead, rawQuery: Substring, body: [UInt8], nowMillis: Int64
    ) -> Result<IamCredentialTable.Principal, APIError> {
        let uri = head.uri
        let path = uri.firstIndex(of: "?").map { String(uri[..<$0]) } ?? uri
        let request = SigV4Request(
            method: head.method.rawValue, path: path, query: String(rawQuery), headers: head.headers.map { ($0.name, $0.value) },
            bodySHA256: SigV4Verifier.sha256Hex(body))
        let verifier = SigV4Verifier(mode: table.verifierMode, maxClockSkew: clockSkewSeconds)
        switch verifier.verify(request, now: Date(timeIntervalSince1970: Double(nowMillis) / 1000)) {
        case .failure(let error):
            return .failure(error)
        case .success(let signer):
            guard signer.service == service else {
                return .failure(
                    APIError(
                        status: 403, type: "InvalidSignatureException",
                        message: "Credential should be scoped to correct service: '\(service)'. "))
            }
            guard let principal = table.principal(accessKeyId: signer.accessKeyId) else {
                return .failure(
                    APIError(status: 403, type: "UnrecognizedClientException", message: "The security token included in the request is invalid."))
            }
            return .success(principal)
        }
    }

    /// The gateway response type for a SigV4 failure: no signature at all is
    /// MISSING_AUTHENTICATION_TOKEN (AWS_FACTS 1); an expired or not-yet-valid date, or expired temporary
    /// credentials, EXPIRED_TOKEN;
    /// everything else INVALID_SIGNATURE. (Which type AWS files the date and unknown-key failures
    /// under is a guess; the status, message and `x-amzn-ErrorType` are AWS's.)
    static func responseType(_ error: APIError) -> GatewayResponseType {
        if error.type == "MissingAuthenticationTokenException" { return .missingAuthenticationToken }
        if error.message.hasPrefix("Signature expired") || error.message.hasPrefix("Signature not yet current") { return .expiredToken }
        // Temporary credentials past their expiration.
        if error.type == "ExpiredTokenException" { return .expiredToken }
        return .invalidSignature
    }

    /// AWS's refusal: `User: {caller} is not authorized to perform: execute-api:Invoke on
    /// resource: {arn}` (`anonymous` when unsigned; the account id masked but for its last four
    /// digits, as AWS shows it: `arn:aws:execute-api:us-west-2:********2543:...`), with
    /// " with an explicit deny" when a Deny statement decided.
    static func notAuthorizedMessage(userArn: String?, arn: String, explicit: Bool, action: String = "execute-api:Invoke") -> String {
        "User: \(userArn ?? "anonymous") is not authorized to perform: \(action) on resource: \(maskingAccount(arn))"
            + (explicit ? " with an explicit deny" : "")
    }

    /// The ARN with all but the last four digits of its account id replaced by `*`.
    static func maskingAccount(_ arn: String) -> String {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[4].count > 4 else { return arn }
        var masked = parts.map(String.init)
        masked[4] = String(repeating: "*", count: parts[4].count - 4) + parts[4].suffix(4)
        return masked.joined(separator: ":")
    }
}
