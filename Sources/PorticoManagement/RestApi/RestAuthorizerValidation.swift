import Foundation
import PorticoModel

/// What CreateAuthorizer and UpdateAuthorizer check. Messages marked "recorded" are AWS's own
/// (see docs/LAMBDA_AUTHORIZERS.md); the others are Portico's wording with AWS's type and
/// status (400 `BadRequestException`).
enum RestAuthorizerValidation {
    static func validate(_ authorizer: RestAuthorizer) throws(APIError) {
        guard RestAuthorizer.types.contains(authorizer.type) else {
            throw .badRequest("Invalid authorizer type specified. Valid options are \(RestAuthorizer.types.joined(separator: ","))")
        }
        if authorizer.name.isEmpty { throw .badRequest("Authorizer name must be specified") }
        if let ttl = authorizer.authorizerResultTtlInSeconds, !(0...RestAuthorizer.maximumResultTtl).contains(ttl) {
            throw .badRequest("Invalid authorizer TTL specified. Value must be between 0 and \(RestAuthorizer.maximumResultTtl)")
        }
        switch authorizer.type {
        case "TOKEN", "REQUEST":
            guard let uri = authorizer.authorizerUri, !uri.isEmpty else {
                throw .badRequest("Authorizer URI must be specified for \(authorizer.type) authorizers")
            }
            // REST authorizers name the function as API Gateway's invocation URI, as integrations do.
            try RestIntegrationValidation.validateAwsUri(uri, proxy: true)
            guard uri.contains(":function:") else { throw .badRequest("Invalid Authorizer URI specified: \(uri)") }
            if authorizer.type == "TOKEN" {
                try validateTokenSource(authorizer.identitySource)
            } else {
                try validateRequestSources(authorizer.identitySource, caching: (authorizer.authorizerResultTtlInSeconds ?? 0) > 0)
            }
        default:
            if authorizer.providerARNs?.isEmpty ?? true {
                throw .badRequest("ProviderARNs need to be specified for COGNITO_USER_POOLS authorizers")
            }
            // Each must name a user pool (its tokens' issuer is derived from it); the wording is
            // Portico's, the type and status AWS's.
            for arn in authorizer.providerARNs ?? [] where JwtIssuer.cognitoIssuer(providerArn: arn, endpoint: nil) == nil {
                throw .badRequest("Invalid provider ARN specified: \(arn). Expected arn:aws:cognito-idp:{region}:{account}:userpool/{userPoolId}")
            }
            // The token is read from one request header, as for TOKEN authorizers.
            if let source = authorizer.identitySource {
                try validateTokenSource(source)
            }
        }
    }

    /// Recorded AWS message (aws-cdk issue #6330, serverless issue #4428): a TOKEN authorizer
    /// reads exactly one request header.
    static func validateTokenSource(_ source: String?) throws(APIError) {
        let text = source ?? ""
        guard let name = RestAuthorizerSource(expression: text), case .header = name else {
            throw .badRequest(
                "Invalid token source expression: \(text). The source must be a method request header, matching 'method.request.header.[a-zA-Z0-9._-]+'")
        }
    }

    /// A REQUEST authorizer's comma list of `method.request.header.*`, `method.request.querystring.*`,
    /// `stageVariables.*` and `context.*`; required while results are cached (AWS: the cache key
    /// is built from them).
    static func validateRequestSources(_ sources: String?, caching: Bool) throws(APIError) {
        let text = sources?.trimmingCharacters(in: .whitespaces) ?? ""
        if text.isEmpty {
            if caching { throw .badRequest("Identity source must be specified when authorizer caching is enabled") }
            return
        }
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let expression = part.trimmingCharacters(in: .whitespaces)
            guard RestAuthorizerSource(expression: expression) != nil else {
                throw .badRequest("Invalid identity source expression specified: \(expression)")
            }
        }
    }
}
