import Crypto
import Foundation
import PorticoModel

// The SigV4 failures, worded as AWS words them. Portico answers each with HTTP 403, as API Gateway
// does (the AWS CLI then shows "An error occurred (<type>) ... : <message>").
//
// Where the wording comes from (looked up with the project's search tool):
// * Missing Authentication Token — API Gateway's own answer to an unsigned request; AWS
//   knowledge-center article "api-gateway-authentication-token-errors" (403, message
//   "Missing Authentication Token").
// * "Authorization header requires 'Credential' parameter. ... requires existence of either a
//   'X-Amz-Date' or a 'Date' header." — API Gateway answers quoted in aws/chalice#828,
//   aws-amplify/amplify-flutter#1539 (403, x-amzn-errortype IncompleteSignatureException) and
//   aws/aws-sdk-js#4285. AWS used to echo the header after "Authorization="; it now sends it hashed:
//   "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and
//   encoded with Base64): '...'" (awslabs/time-addressable-media-store#8, 2025). Portico hashes in
//   both messages so that a bearer token sent by mistake is never written back or logged.
// * "Found both 'X-Amz-Algorithm' ...", "AWS query-string parameters must include '...'. Re-examine
//   the query-string parameters.", "Date must be in ISO-8601 'basic format'. Got '...'",
//   "Unsupported AWS 'algorithm': ...", "Credential must have exactly 5 slash-delimited elements ...",
//   "Credential should be scoped ...", "Date in Credential scope does not match ..." — recorded from
//   AWS in mhart/dynalite (index.js comments), with the order of the checks.
// * "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." — aws/aws-sdk-php#2469.
// * "The security token included in the request is invalid." (UnrecognizedClientException) —
//   iann0036/iamlive#58 (Lambda, 403) and RhinoSecurityLabs/IPRotate_Burp_Extension#39 (CreateRestApi).
// * "The request signature we calculated does not match ..." — API Gateway's answer quoted in
//   stoplightio/desktop#217; "Signature expired: 20160610T180547Z is now earlier than 20160610T180612Z
//   (20160610T181112Z - 5 min.)" and "Signature not yet current: ... is still later than ...
//   (... + 5 min.)" — hassy/artillery-dino#2, serverless/enterprise#11. AWS prints its own window
//   (5 or 15 minutes depending on the service); Portico prints the configured one.
// * X-Amz-Expires limits — S3's AuthorizationQueryParametersError wording (bryanjos/aws_auth#31,
//   minio/minio-js#1312); non-S3 services publish none.
extension APIError {
    static func sigV4MissingAuthenticationToken() -> APIError {
        APIError(status: 403, type: "MissingAuthenticationTokenException", message: "Missing Authentication Token")
    }

    static func sigV4IncompleteSignature(_ message: String) -> APIError {
        APIError(status: 403, type: "IncompleteSignatureException", message: message)
    }

    static func sigV4InvalidSignature(_ message: String) -> APIError {
        APIError(status: 403, type: "InvalidSignatureException", message: message)
    }

    static func sigV4SignatureMismatch() -> APIError {
        sigV4InvalidSignature(
            "The request signature we calculated does not match the signature you provided. "
                + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
    }

    static func sigV4UnrecognizedClient() -> APIError {
        APIError(
            status: 403, type: "UnrecognizedClientException",
            message: "The security token included in the request is invalid.")
    }

    /// Temporary credentials past their expiration (AWS: `ExpiredTokenException`, "The security token
    /// included in the request is expired").
    static func sigV4ExpiredToken() -> APIError {
        APIError(status: 403, type: "ExpiredTokenException", message: "The security token included in the request is expired")
    }

    static func sigV4BothAuthorizationForms() -> APIError {
        sigV4InvalidSignature("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.")
    }

    static func sigV4MissingEqualSign(authorization: String) -> APIError {
        sigV4IncompleteSignature(
            "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with "
                + "Base64): '\(hashedForMessage(authorization))'.")
    }

    /// `missing` is the list of AWS sentences, each ending in ". ".
    static func sigV4IncompleteAuthorizationHeader(missing: String, authorization: String) -> APIError {
        sigV4IncompleteSignature(
            missing + "(Hashed with SHA-256 and encoded with Base64) Authorization=\(hashedForMessage(authorization))")
    }

    static func sigV4IncompleteQuery(missing: [String]) -> APIError {
        sigV4IncompleteSignature(
            missing.map { "AWS query-string parameters must include '\($0)'. " }.joined()
                + "Re-examine the query-string parameters.")
    }

    static func sigV4BadDate(_ value: String) -> APIError {
        sigV4IncompleteSignature(
            "Date must be in ISO-8601 'basic format'. Got '\(value)'. See http://en.wikipedia.org/wiki/ISO_8601")
    }

    static func sigV4BadExpires(_ value: String) -> APIError {
        guard let seconds = Int64(value) else { return sigV4IncompleteSignature("X-Amz-Expires should be a number") }
        if seconds < 0 { return sigV4IncompleteSignature("X-Amz-Expires must be non-negative") }
        return sigV4IncompleteSignature(
            "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than "
                + "604800 seconds")
    }

    static func sigV4UnsupportedAlgorithm(_ algorithm: String) -> APIError {
        sigV4IncompleteSignature("Unsupported AWS 'algorithm': '\(algorithm)' (only AWS4-HMAC-SHA256 for now). ")
    }

    static func sigV4CredentialElementCount(_ credential: String) -> APIError {
        sigV4IncompleteSignature(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got "
                + "'\(credential)'")
    }

    static func sigV4HostNotSigned() -> APIError {
        sigV4InvalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
    }

    static func sigV4Expired(timestamp: String, earliest: String, now: String, window: String) -> APIError {
        sigV4InvalidSignature("Signature expired: \(timestamp) is now earlier than \(earliest) (\(now) - \(window))")
    }

    static func sigV4NotYetCurrent(timestamp: String, latest: String, now: String, window: String) -> APIError {
        sigV4InvalidSignature("Signature not yet current: \(timestamp) is still later than \(latest) (\(now) + \(window))")
    }

    /// Base64 of the SHA-256 of `value`: enough to match against a client's log, useless to anyone else.
    private static func hashedForMessage(_ value: String) -> String {
        Data(SHA256.hash(data: Array(value.utf8))).base64EncodedString()
    }
}
