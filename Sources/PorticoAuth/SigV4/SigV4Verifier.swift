public import Foundation
public import PorticoModel

/// Verifies AWS Signature Version 4 on requests to Portico's management API, so that the AWS CLI,
/// boto3 and Terraform pointed at Portico with `--endpoint-url` authenticate exactly as against AWS.
///
/// Both forms are accepted: the `Authorization: AWS4-HMAC-SHA256 ...` header and a presigned URL's
/// `X-Amz-*` query parameters. The canonical request is rebuilt as botocore builds it for non-S3
/// services (see ``SigV4CanonicalRequest``), and failures carry the error type and message AWS
/// sends, as HTTP 403 (see `APIError+SigV4.swift` for where each wording comes from).
///
/// Checks run in AWS's order, so a request with several problems gets the error AWS would give:
/// presence of a signature, missing parts, date format, clock, `Host` signed, algorithm, credential
/// shape, credential scope, access key, signature.
///
/// ```swift
/// let verifier = SigV4Verifier(mode: .verify(credentials: try CredentialsFile.parse(text)))
/// switch verifier.verify(request, now: Date()) {
/// case .success(let identity): ...   // identity.accessKeyId, identity.region, identity.service
/// case .failure(let error): ...      // answer error.status, x-amzn-ErrorType: error.type
/// }
/// ```
public struct SigV4Verifier: Sendable {
    /// How much the verifier checks.
    public enum Mode: Sendable {
        /// Check the signature against these secrets (access key id → secret access key).
        case verify(credentials: [String: String])
        /// As ``verify(credentials:)``, and also accept the temporary credentials `sessions` holds: their
        /// session token must come with the request (`X-Amz-Security-Token`), as AWS requires of `ASIA...`
        /// keys, and they must not have expired.
        case verifyWithSessions(credentials: [String: String], sessions: TemporaryCredentialRegistry)
        /// Development mode: the request must carry a well-formed SigV4 signature (so a client
        /// that sends nothing is told so), but neither the secret, the access key nor the clock
        /// is checked.
        case acceptAnyWellFormed
    }

    private let mode: Mode
    private let maxClockSkew: Double

    /// - Parameters:
    ///   - mode: what to check.
    ///   - maxClockSkew: how far, in seconds, the signing time may be from `now` either way.
    ///     AWS allows 5 to 15 minutes depending on the service; 15 suits clients on laptops.
    public init(mode: Mode, maxClockSkew: Double = 900) {
        self.mode = mode
        self.maxClockSkew = maxClockSkew
    }

    /// Verifies `request` as received at `now`.
    ///
    /// - Returns: who signed it, or the ``APIError`` to answer with (always HTTP 403).
    public func verify(_ request: SigV4Request, now: Date) -> Result<SigV4Identity, APIError> {
        do {
            return .success(try check(request, now: now))
        } catch {
            return .failure(error)
        }
    }

    /// The access key id a request's signature names (header or presigned form), nil when it has no
    /// readable signature. Nothing is verified.
    public static func accessKeyId(of request: SigV4Request) -> String? {
        guard let authorization = try? SigV4Authorization.extract(from: request) else { return nil }
        return try? SigV4CredentialScope.parse(authorization.credential).accessKeyId
    }

    /// Lower-case hex SHA-256 of `bytes`: what the server puts in ``SigV4Request/bodySHA256``.
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        SigV4Algorithm.sha256Hex(bytes)
    }

    private func check(_ request: SigV4Request, now: Date) throws(APIError) -> SigV4Identity {
        let authorization = try SigV4Authorization.extract(from: request)
        let timestamp = try Self.timestamp(of: authorization)
        let expires = try Self.expires(of: authorization)
        switch mode {
        case .verify, .verifyWithSessions: try checkClock(timestamp: timestamp, expires: expires, now: SigV4Timestamp(now))
        case .acceptAnyWellFormed: break
        }
        guard authorization.signsHost else { throw .sigV4HostNotSigned() }
        guard authorization.algorithm == SigV4Algorithm.name else {
            throw .sigV4UnsupportedAlgorithm(authorization.algorithm)
        }
        let scope = try SigV4CredentialScope.parse(authorization.credential)
        try scope.validate(against: timestamp)
        let identity = SigV4Identity(accessKeyId: scope.accessKeyId, region: scope.region, service: scope.service)

        let secret: String
        switch mode {
        case .acceptAnyWellFormed:
            return identity
        case .verify(let credentials):
            guard let known = credentials[scope.accessKeyId] else { throw .sigV4UnrecognizedClient() }
            secret = known
        case .verifyWithSessions(let credentials, let sessions):
            if let known = credentials[scope.accessKeyId] {
                secret = known
            } else if let session = sessions.credentials(accessKeyId: scope.accessKeyId) {
                // AWS: a temporary key without its token, or with another, is "The security token
                // included in the request is invalid."; past its expiration, ExpiredTokenException.
                guard let token = authorization.securityToken, SigV4Algorithm.constantTimeEquals(token, session.sessionToken) else {
                    throw .sigV4UnrecognizedClient()
                }
                guard now < session.expiration else { throw .sigV4ExpiredToken() }
                secret = session.secretAccessKey
            } else {
                throw .sigV4UnrecognizedClient()
            }
        }

        // botocore signs X-Amz-Content-SHA256 in place of the body hash when the request has one.
        let declaredPayloadHash = request.headers.first { $0.name.lowercased() == "x-amz-content-sha256" }?.value
        let canonicalRequest = SigV4CanonicalRequest(
            method: request.method,
            rawPath: request.path,
            rawQuery: request.query,
            signedHeaderNames: authorization.signedHeaders,
            headers: request.headers,
            payloadHash: declaredPayloadHash ?? request.bodySHA256,
            excludingQueryNames: authorization.form == .query ? ["X-Amz-Signature"] : [])
        let stringToSign = SigV4Algorithm.stringToSign(
            timestamp: timestamp.basicFormat, scope: scope.scope, canonicalRequest: canonicalRequest)
        let signingKey = SigV4Algorithm.signingKey(
            secret: secret, day: scope.day, region: scope.region, service: scope.service)
        let expected = SigV4Algorithm.signature(stringToSign: stringToSign, signingKey: signingKey)
        guard SigV4Algorithm.constantTimeEquals(expected, authorization.signature) else {
            throw .sigV4SignatureMismatch()
        }
        // A signed X-Amz-Content-SHA256 vouches for the body only if the body has that hash.
        // AWS's non-S3 services publish no error for this; the body is not what was signed, so
        // Portico answers as for any other change to a signed part. UNSIGNED-PAYLOAD is accepted.
        if let declaredPayloadHash, Self.isSHA256Hex(declaredPayloadHash),
            declaredPayloadHash.lowercased() != request.bodySHA256.lowercased()
        {
            throw .sigV4SignatureMismatch()
        }
        return identity
    }

    /// Refuses a signature made too long ago, or too far in the future, in AWS's words.
    ///
    /// A presigned URL with `X-Amz-Expires` is valid for that many seconds after its date instead of
    /// for the skew window; both forms are refused when dated beyond `now + maxClockSkew`.
    private func checkClock(timestamp: SigV4Timestamp, expires: Int64?, now: SigV4Timestamp) throws(APIError) {
        let skew = Int64(max(0, maxClockSkew).rounded(.down))
        let window = expires ?? skew
        let earliest = now.adding(seconds: -window)
        if timestamp < earliest {
            throw .sigV4Expired(
                timestamp: timestamp.basicFormat, earliest: earliest.basicFormat, now: now.basicFormat,
                window: Self.describe(window))
        }
        let latest = now.adding(seconds: skew)
        if latest < timestamp {
            throw .sigV4NotYetCurrent(
                timestamp: timestamp.basicFormat, latest: latest.basicFormat, now: now.basicFormat,
                window: Self.describe(skew))
        }
    }

    private static func timestamp(of authorization: SigV4Authorization) throws(APIError) -> SigV4Timestamp {
        let parsed =
            authorization.dateIsHTTPDate
            ? SigV4Timestamp(httpDate: authorization.date) : SigV4Timestamp(basicFormat: authorization.date)
        guard let parsed else { throw .sigV4BadDate(authorization.date) }
        return parsed
    }

    /// `X-Amz-Expires` in seconds: 0 to 604800 (a week), as S3 allows.
    private static func expires(of authorization: SigV4Authorization) throws(APIError) -> Int64? {
        guard let raw = authorization.expires else { return nil }
        guard let seconds = Int64(raw), (0...604_800).contains(seconds) else { throw .sigV4BadExpires(raw) }
        return seconds
    }

    /// AWS's "5 min." / "15 min."; seconds when the window is not whole minutes.
    private static func describe(_ seconds: Int64) -> String {
        seconds % 60 == 0 ? "\(seconds / 60) min." : "\(seconds) sec."
    }

    private static func isSHA256Hex(_ value: String) -> Bool {
        value.utf8.count == 64 && value.utf8.allSatisfy { $0.isHexDigitASCII }
    }
}

extension SigV4Verifier: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Never shows a secret, so a verifier can be logged or dumped safely.
    public var description: String { "SigV4Verifier(mode: \(mode), maxClockSkew: \(maxClockSkew))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["mode": mode, "maxClockSkew": maxClockSkew], displayStyle: .struct)
    }
}

extension SigV4Verifier.Mode: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Names the access key ids' count, never the secrets.
    public var description: String {
        switch self {
        case .verify(let credentials): "verify(\(credentials.count) credentials)"
        case .verifyWithSessions(let credentials, let sessions): "verifyWithSessions(\(credentials.count) credentials, \(sessions))"
        case .acceptAnyWellFormed: "acceptAnyWellFormed"
        }
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["mode": description], displayStyle: .enum) }
}

extension UInt8 {
    fileprivate var isHexDigitASCII: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
