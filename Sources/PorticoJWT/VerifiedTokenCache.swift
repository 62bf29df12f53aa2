#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tokens whose signature has already been checked, so that a client sending the same token on
/// every request (the usual case: a token lives for minutes or hours) costs one RSA verification
/// rather than one per request. A gateway-side cache AWS does not document; Portico's JWT and
/// Cognito authorizers use it (docs/JWT_AUTHORIZERS.md).
///
/// Only the signature is remembered. On every use the token must still name a key that its
/// issuer's current key set holds with the same public bytes (a rotated-out key ends the entry's
/// use), the verifier's header rules are applied again, and every claim (`exp`, `nbf`, `iss`,
/// `aud`, `token_use`) is checked against the current time. Keys are the exact token text.
///
/// Confined to one event loop (no lock); bounded by `capacity` entries, the oldest going first.
public final class VerifiedTokenCache {
    struct Entry {
        let jws: CompactJWS
        let kid: String
        let keyBytes: [UInt8]
    }

    /// A token as a dictionary key, compared as bytes and hashed on its last bytes only. `Substring`'s
    /// own hashing normalizes the whole text (Unicode-aware), which for a 1 KB token on every request
    /// showed up at a few percent of a request's CPU time. A token's tail is its signature (random-looking
    /// base64url), and entries only ever hold tokens whose signature verified, so a short hash keeps
    /// lookups spread out.
    struct Key: Hashable {
        let text: Substring

        /// Compared as contiguous bytes: `elementsEqual` over two `Substring.UTF8View`s steps an index
        /// per byte, and for a 0.7 KB token (compared on every hit, twice a request) it took 18% of a
        /// Cognito-authorized request's CPU time in a profile.
        static func == (lhs: Key, rhs: Key) -> Bool {
            let left = lhs.text.utf8, right = rhs.text.utf8
            guard left.count == right.count else { return false }
            let equal = left.withContiguousStorageIfAvailable { left in
                right.withContiguousStorageIfAvailable { right in
                    left.count == 0 || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0
                }
            }
            if let equal, let equal { return equal }
            return left.elementsEqual(right)
        }

        func hash(into hasher: inout Hasher) {
            let utf8 = text.utf8
            hasher.combine(utf8.count)
            let tail = utf8.suffix(Self.hashedBytes)
            if tail.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
                for byte in tail { hasher.combine(byte) }
            }
        }

        static let hashedBytes = 32
    }

    public let capacity: Int
    private var entries: [Key: Entry] = [:]
    /// Insertion order, as a ring: the slot `next` holds the oldest token once the ring is full.
    private var order: [Key] = []
    private var next = 0

    /// `capacity` 0 turns the cache off.
    public init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    public var count: Int { entries.count }

    /// The token as parsed when its signature was verified, if it is remembered.
    public func parsed(_ token: Substring) -> CompactJWS? {
        entries[Key(text: token)]?.jws
    }

    /// Whether `token` was verified with exactly this key (same `kid`, same public bytes).
    func signatureKnownValid(_ token: Substring, kid: String, key: JSONWebKey) -> Bool {
        guard let entry = entries[Key(text: token)] else { return false }
        return entry.kid == kid && entry.keyBytes == key.publicBytes
    }

    func remember(_ token: Substring, kid: String, key: JSONWebKey) {
        guard capacity > 0, entries[Key(text: token)] == nil else { return }
        // The entry owns its own copy of the text (parsed again from it, once), so the request
        // the token came in does not stay alive with it.
        let owned = Key(text: Substring(String(token)))
        guard case .success(let jws) = CompactJWS.parse(owned.text) else { return }
        if order.count < capacity {
            order.append(owned)
        } else {
            entries[order[next]] = nil
            order[next] = owned
            next = (next + 1) % capacity
        }
        entries[owned] = Entry(jws: jws, kid: kid, keyBytes: key.publicBytes)
    }
}
