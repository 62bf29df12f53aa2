public import PorticoRuntime

/// Limits and addresses of the data plane. Every limit exists and is configurable; the defaults
/// are Amazon API Gateway's where AWS has one.
public struct DataPlaneConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// Event loops serving the data plane (each with its own upstream pools).
    public var eventLoopCount: Int = System.coreCount
    /// AWS's payload quota for HTTP APIs: 10 MB, for requests and responses.
    public var maxPayloadBytes: Int = 10 * 1024 * 1024
    /// AWS: "header + request line 10,240 bytes". Per header field and in total.
    public var maxHeaderBytes: Int = 10_240
    /// Connections beyond this are closed as soon as they are accepted.
    public var maxConnections: Int = 10_000
    /// A client connection with no request in flight is closed after this long.
    public var idleTimeoutSeconds: Int64 = 60
    /// Idle upstream keep-alive connections kept per backend and event loop.
    public var maxIdleUpstreamConnections: Int = 128
    /// Idle upstream connections are closed after this long.
    public var upstreamIdleTimeoutSeconds: Int64 = 55
    /// Connecting to a backend fails after this long (counted within the integration timeout).
    public var upstreamConnectTimeoutMillis: Int64 = 10_000
    /// On shutdown, in-flight requests get this long to finish.
    public var drainTimeoutSeconds: Int64 = 30
    /// PEM files of certificate authorities trusted for https backends, besides the system's.
    public var upstreamCAFiles: [String] = []
    /// Account id shown in `$context.accountId`.
    public var accountId: String = "000000000000"
    /// Region named in the method ARNs Lambda authorizers receive (`--region`).
    public var region: String = "us-east-1"

    /// How long an issuer's JWKS is kept before it is fetched again (AWS: up to two hours).
    public var jwksCacheTtlSeconds: Int64 = 7_200
    /// At most one JWKS refresh per issuer this often for tokens with an unknown `kid`
    /// (`--jwks-min-refresh-seconds`); 0 allows one per such token (tests).
    public var jwksMinRefreshSeconds: Int64 = 10
    /// Issuers whose JWKS comes from a configured URL rather than their OpenID discovery document
    /// (`--jwks-url`), keyed by issuer (a trailing `/` does not matter).
    public var jwksUrls: [String: String] = [:]
    /// Tokens whose signature each event loop remembers as verified (`--jwt-verified-tokens`),
    /// so a repeated token skips the RSA check (claims are still checked on every request); 0 = off.
    public var jwtVerifiedTokens: Int = 4_096
    /// `--cognito-endpoint`: user pools' tokens are issued by `{endpoint}/{poolId}` (a local
    /// Cognito such as cognito-local) instead of `https://cognito-idp.{region}.amazonaws.com`.
    public var cognitoEndpoint: String?
    /// The account-level throttle every REST and HTTP API request takes a token from (`--account-rate-limit`,
    /// `--account-burst-limit`): AWS's 10,000 rps / 5,000 burst by default; nil (`--no-account-throttle`) turns it off.
    public var accountThrottle: ThrottleLimit? = .awsAccountDefault
    /// WebSocket APIs' frame, message, idle, lifetime and buffer limits (`--websocket-*`).
    public var webSocket = WebSocketLimits()
    /// The management API's credentials (access key id → secret): they sign `@connections` calls
    /// with full access. Empty is development mode (see ``ConnectionsAuthorization``).
    public var managementCredentials: [String: String] = [:]

    public init() {}
}

import NIOCore
