/// Rules for the issuer URL of a JWT or Cognito authorizer, shared by the management API (which
/// refuses a bad one) and the data plane (which fetches its keys).
public enum JwtIssuer {
    /// AWS takes only `https://` issuers. Portico also takes `http://` ones on a loopback host
    /// (`localhost`, `127.x.x.x`, `[::1]`), so a local identity provider (cognito-local, a test
    /// server) can be used without TLS; keys are never fetched in clear text from anywhere else.
    public static func isAcceptable(_ issuer: String) -> Bool {
        guard let (scheme, host, _, _) = split(issuer), !host.isEmpty else { return false }
        return scheme == "https" || (scheme == "http" && isLoopback(host))
    }

    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        // 127.0.0.0/8 as a dotted quad only: `127.0.0.1.attacker.example` is not loopback.
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// `scheme://host[:port]/path` taken apart: scheme lower-cased, the port (nil when not
    /// given), the path (empty or starting with `/`). nil for anything else (no userinfo, query
    /// or fragment).
    public static func split(_ url: String) -> (scheme: String, host: String, port: Int?, path: String)? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else { return nil }
        let rest = url[schemeEnd.upperBound...]
        if rest.contains("@") || rest.contains("?") || rest.contains("#") || rest.contains(" ") { return nil }
        let authority = rest.prefix { $0 != "/" }
        let path = String(rest.dropFirst(authority.count))
        var host = String(authority)
        var port: Int?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                guard let value = Int(after.dropFirst()), (1...65535).contains(value) else { return nil }
                port = value
            } else if !after.isEmpty { return nil }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let value = Int(authority[authority.index(after: colon)...]), (1...65535).contains(value) else { return nil }
            port = value
        }
        guard !host.isEmpty else { return nil }
        return (scheme, host.lowercased(), port, path)
    }

    /// A Cognito user pool ARN (`arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}`) as
    /// the issuer of its tokens: `https://cognito-idp.{region}.amazonaws.com/{poolId}`, or
    /// `{endpoint}/{poolId}` when Portico is pointed at a local Cognito (cognito-local, moto).
    public static func cognitoIssuer(providerArn: String, endpoint: String?) -> String? {
        let parts = providerArn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "cognito-idp", !parts[3].isEmpty, parts[5].hasPrefix("userpool/") else {
            return nil
        }
        let poolId = parts[5].dropFirst("userpool/".count)
        guard !poolId.isEmpty, !poolId.contains("/") else { return nil }
        if let endpoint, !endpoint.isEmpty {
            return (endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint) + "/" + poolId
        }
        return "https://cognito-idp.\(parts[3]).amazonaws.com/\(poolId)"
    }
}
