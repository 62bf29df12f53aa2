public import Foundation

/// Signs outgoing requests with AWS Signature Version 4, as botocore's `SigV4Auth` signs them, so
/// that Portico can call AWS APIs (the Lambda Invoke API, on AWS, LocalStack or the Runtime
/// Interface Emulator) without an AWS SDK.
///
/// It shares ``SigV4CanonicalRequest`` with ``SigV4Verifier``: one canonicalisation for both
/// directions. Like botocore it signs every header it is given except the hop-by-hop ones and
/// `User-Agent`, plus `Host`, `X-Amz-Date` and, when present, the session token.
///
/// ```swift
/// let signer = SigV4Signer(accessKeyId: id, secretAccessKey: secret, region: "us-east-1", service: "lambda")
/// let added = signer.sign(method: "POST", url: invokeURL, headers: [("Content-Type", "application/json")],
///                         body: payload, date: Date())
/// // send the request with its own headers plus `added`
/// ```
public struct SigV4Signer: Sendable {
    private let accessKeyId: String
    private let secretAccessKey: String
    private let sessionToken: String?
    private let region: String
    private let service: String

    /// Headers botocore never signs (`SIGNED_HEADERS_BLACKLIST`): hop-by-hop headers a proxy may
    /// change, and `User-Agent`.
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, region: String, service: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.region = region
        self.service = service
    }

    /// Signs a request to `url`.
    ///
    /// The `Host` signed is the URL's host, lower-cased, with the port unless it is the scheme's
    /// default (botocore's `_host_from_url`); the transport must send that same `Host`. The URL's
    /// path and query are signed as they are percent-encoded in `url`.
    ///
    /// - Returns: the headers to add to the request: `X-Amz-Date`, `X-Amz-Security-Token` when
    ///   there is a session token, `x-amz-content-sha256` when asked for, and `Authorization`.
    ///   Any `Authorization` or `X-Amz-Date` in `headers` is left out of the signature and must
    ///   not be sent.
    public func sign(
        method: String, url: URL, headers: [(String, String)], body: [UInt8], date: Date,
        includeContentSHA256Header: Bool = false
    ) -> [(String, String)] {
        sign(
            method: method, host: Self.host(of: url), path: url.path(percentEncoded: true),
            query: url.query(percentEncoded: true) ?? "", headers: headers, body: body, date: date,
            includeContentSHA256Header: includeContentSHA256Header)
    }

    /// Signs a request given as the `Host` it will carry and its raw (percent-encoded) path and
    /// query. See ``sign(method:url:headers:body:date:includeContentSHA256Header:)``.
    public func sign(
        method: String, host: String, path: String, query: String, headers: [(String, String)], body: [UInt8],
        date: Date, includeContentSHA256Header: Bool = false
    ) -> [(String, String)] {
        let timestamp = SigV4Timestamp(date)
        let bodyHash = SigV4Algorithm.sha256Hex(body)
        var replaced: Set<String> = ["authorization", "x-amz-date"]
        if sessionToken != nil { replaced.insert("x-amz-security-token") }
        if includeContentSHA256Header { replaced.insert("x-amz-content-sha256") }

        var signed: [(name: String, value: String)] = headers.compactMap { name, value in
            let name = name.lowercased()
            return Self.unsignedHeaders.contains(name) || replaced.contains(name) ? nil : (name, value)
        }
        if !signed.contains(where: { $0.name == "host" }) { signed.append(("host", host)) }
        var added: [(String, String)] = [("X-Amz-Date", timestamp.basicFormat)]
        signed.append(("x-amz-date", timestamp.basicFormat))
        if let sessionToken {
            added.append(("X-Amz-Security-Token", sessionToken))
            signed.append(("x-amz-security-token", sessionToken))
        }
        if includeContentSHA256Header {
            added.append(("x-amz-content-sha256", bodyHash))
            signed.append(("x-amz-content-sha256", bodyHash))
        }
        // As botocore: a caller's own X-Amz-Content-SHA256 is signed in place of the body hash.
        let payloadHash = signed.first { $0.name == "x-amz-content-sha256" }?.value ?? bodyHash
        let names = Set(signed.map(\.name)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }

        let canonicalRequest = SigV4CanonicalRequest(
            method: method, rawPath: path, rawQuery: query, signedHeaderNames: names, headers: signed,
            payloadHash: payloadHash)
        let scope = [timestamp.day, region, service, SigV4Algorithm.terminator].joined(separator: "/")
        let stringToSign = SigV4Algorithm.stringToSign(
            timestamp: timestamp.basicFormat, scope: scope, canonicalRequest: canonicalRequest)
        let signingKey = SigV4Algorithm.signingKey(
            secret: secretAccessKey, day: timestamp.day, region: region, service: service)
        let signature = SigV4Algorithm.signature(stringToSign: stringToSign, signingKey: signingKey)
        added.append(
            (
                "Authorization",
                "\(SigV4Algorithm.name) Credential=\(accessKeyId)/\(scope), "
                    + "SignedHeaders=\(names.joined(separator: ";")), Signature=\(signature)"
            ))
        return added
    }

    private static func host(of url: URL) -> String {
        var host = (url.host(percentEncoded: false) ?? "").lowercased()
        if host.contains(":") { host = "[\(host)]" }
        let defaultPort = ["http": 80, "https": 443][url.scheme?.lowercased() ?? ""]
        if let port = url.port, port != defaultPort { host += ":\(port)" }
        return host
    }
}

extension SigV4Signer: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Names the access key id, region and service, never the secret or the session token.
    public var description: String {
        "SigV4Signer(accessKeyId: \(accessKeyId), region: \(region), service: \(service), "
            + "sessionToken: \(sessionToken == nil ? "none" : "set"))"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyId": accessKeyId, "region": region, "service": service,
                "sessionToken": sessionToken == nil ? "none" : "set",
            ], displayStyle: .struct)
    }
}
