import Logging
import Synchronization
import NIOCore
import PorticoJWT
import PorticoModel

/// The signing keys of every issuer the deployed JWT and Cognito authorizers trust, shared by all
/// event loops and deployments (a redeploy keeps the keys). Keys come from the issuer's OpenID
/// discovery document (`{issuer}/.well-known/openid-configuration` → `jwks_uri`), as AWS fetches
/// them; the fetch rules are ``IssuerKeys``'. A lock guards the table: held for a dictionary
/// lookup, never across I/O.
final class JwtKeyStore: Sendable {
    struct Settings: Sendable {
        var ttlSeconds: Int64 = 7_200
        var minRefreshIntervalSeconds: Int64 = 10
        /// Issuers whose JWKS is fetched from the given URL, without discovery: for providers that publish no
        /// discovery document (`--jwks-url`, beyond AWS). Keyed by ``JwtKeyStore/normalizedIssuer(_:)`` once stored.
        var jwksUrls: [String: String] = [:]
    }

    typealias Completion = @Sendable (JSONWebKeySet?) -> Void

    private struct Entry {
        var keys: IssuerKeys
        var waiters: [(loop: any EventLoop, completion: Completion)] = []
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let fetcher: JwksFetcher
    private let settings: Settings
    private let logger: Logger

    init(fetcher: JwksFetcher, settings: Settings, logger: Logger) {
        self.fetcher = fetcher
        var settings = settings
        settings.jwksUrls = Dictionary(settings.jwksUrls.map { (Self.normalizedIssuer($0.key), $0.value) }) { _, last in last }
        self.settings = settings
        self.logger = logger
    }

    private func newEntry() -> Entry {
        Entry(
            keys: IssuerKeys(
                ttlNanos: UInt64(max(settings.ttlSeconds, 1)) * 1_000_000_000,
                minRefreshIntervalNanos: UInt64(max(settings.minRefreshIntervalSeconds, 0)) * 1_000_000_000))
    }

    /// The issuer's keys if they are known (nil before the first fetch ends).
    func cachedKeys(_ issuer: String, on loop: any EventLoop) -> JSONWebKeySet? {
        let now = NIODeadline.now().uptimeNanoseconds
        let (keys, refresh) = entries.withLock { entries -> (JSONWebKeySet?, Bool) in
            guard var entry = entries[issuer] else { return (nil, false) }
            let current = entry.keys.current(now: now)
            entries[issuer] = entry
            return current
        }
        if refresh { fetch(issuer, on: loop) }
        return keys
    }

    /// Asks for the issuer's keys when none are cached (`.first`) or the token's `kid` is not
    /// among them (`.unknownKey`); `completion` runs on `loop`, at once or after a fetch.
    func request(_ issuer: String, _ reason: IssuerKeys.Reason, on loop: any EventLoop, _ completion: @escaping Completion) {
        let now = NIODeadline.now().uptimeNanoseconds
        let decision = entries.withLock { entries -> IssuerKeys.Decision in
            var entry = entries[issuer] ?? newEntry()
            let decision = entry.keys.request(reason, now: now)
            if case .wait = decision { entry.waiters.append((loop, completion)) }
            entries[issuer] = entry
            return decision
        }
        switch decision {
        case .answer(let keys): completion(keys)
        case .wait(let start): if start { fetch(issuer, on: loop) }
        }
    }

    /// The issuer as the configured JWKS URLs are keyed: without a trailing `/`.
    static func normalizedIssuer(_ issuer: String) -> String {
        issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
    }

    private func fetch(_ issuer: String, on loop: any EventLoop) {
        let base = Self.normalizedIssuer(issuer)
        let fetcher = self.fetcher
        let jwksUri: EventLoopFuture<String>
        if let configured = settings.jwksUrls[base] {
            jwksUri = loop.makeSucceededFuture(configured)
        } else {
            jwksUri = fetcher.get(base + "/.well-known/openid-configuration", on: loop)
                .flatMapThrowing { bytes -> String in
                    guard case .object(let document)? = JSONParser.parse(bytes, maxDepth: 32), case .string(let uri)? = document["jwks_uri"] else {
                        throw JwksFetcher.FetchError(description: "the discovery document has no jwks_uri")
                    }
                    return uri
                }
        }
        jwksUri
            .flatMap { uri in fetcher.get(uri, on: loop) }
            .flatMapThrowing { bytes -> JSONWebKeySet in
                guard let keys = JSONWebKeySet.parse(bytes) else { throw JwksFetcher.FetchError(description: "the key set is not a JWKS document") }
                return keys
            }
            .whenComplete { [self] result in
                var fetched: JSONWebKeySet?
                switch result {
                case .success(let keys):
                    fetched = keys
                    logger.debug("JWKS fetched", metadata: ["issuer": "\(issuer)", "keys": "\(keys.keys.count)", "skipped": "\(keys.skipped)"])
                case .failure(let error):
                    logger.warning("JWKS fetch failed", metadata: ["issuer": "\(issuer)", "error": "\(error)"])
                }
                let now = NIODeadline.now().uptimeNanoseconds
                let (keys, waiters) = entries.withLock { entries in
                    var entry = entries[issuer] ?? newEntry()
                    let keys = entry.keys.fetched(fetched, now: now)
                    let waiters = entry.waiters
                    entry.waiters = []
                    entries[issuer] = entry
                    return (keys, waiters)
                }
                for waiter in waiters {
                    waiter.loop.execute { waiter.completion(keys) }
                }
            }
    }
}
