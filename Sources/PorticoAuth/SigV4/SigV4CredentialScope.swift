import PorticoModel

/// The `Credential` of a SigV4 request: `AKID/20240102/us-east-1/apigateway/aws4_request`.
struct SigV4CredentialScope: Sendable, Equatable {
    var accessKeyId: String
    var day: String
    var region: String
    var service: String
    var terminator: String

    /// The scope as it goes into the string to sign: everything after the access key id.
    var scope: String { [day, region, service, terminator].joined(separator: "/") }

    /// Splits a credential into its five elements.
    ///
    /// Mirrors AWS: trailing slashes are ignored, and any other count of elements is an
    /// `IncompleteSignatureException` naming what was received.
    static func parse(_ credential: String) throws(APIError) -> SigV4CredentialScope {
        var trimmed = Substring(credential)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5 else { throw .sigV4CredentialElementCount(credential) }
        return SigV4CredentialScope(
            accessKeyId: parts[0], day: parts[1], region: parts[2], service: parts[3], terminator: parts[4])
    }

    /// Checks the scope against the request time, the way AWS does before looking the key up:
    /// every problem is reported in one `InvalidSignatureException`.
    ///
    /// Portico serves any region and leaves the service name to the caller (the management API
    /// checks it is `apigateway`), so only an empty region or service is refused here.
    func validate(against timestamp: SigV4Timestamp) throws(APIError) {
        var message = ""
        if region.isEmpty { message += "Credential should be scoped to a valid region, not '\(region)'. " }
        if service.isEmpty { message += "Credential should be scoped to correct service: '\(service)'. " }
        if terminator != SigV4Algorithm.terminator {
            message += "Credential should be scoped with a valid terminator: 'aws4_request', not '\(terminator)'. "
        }
        if day != timestamp.day {
            message +=
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                + "'\(day)' != '\(timestamp.day)', from '\(timestamp.basicFormat)'."
        }
        if !message.isEmpty { throw .sigV4InvalidSignature(message) }
    }
}
