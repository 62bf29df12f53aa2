import Crypto
import PorticoModel
import _CryptoExtras

/// A verification key from a JWKS document (RFC 7517): RSA (`n`, `e`) or EC on P-256/P-384
/// (`crv`, `x`, `y`). Keys whose `use` is not `sig`, whose `key_ops` leave out `verify`, or that
/// carry private members are left out of the set, as are keys of types Portico does not verify.
public struct JSONWebKey: Sendable {
    enum Material: Sendable {
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
    }

    public let kid: String
    /// The key's `alg`, when the JWKS names one: a token must then use exactly that algorithm.
    public let algorithm: String?
    let material: Material
    /// The public key as published (`n` then `e`, or `x` then `y`): what tells two keys with the
    /// same `kid` apart (``VerifiedTokenCache``).
    let publicBytes: [UInt8]

    init(kid: String, algorithm: String?, material: Material, publicBytes: [UInt8] = []) {
        self.kid = kid
        self.algorithm = algorithm
        self.material = material
        self.publicBytes = publicBytes
    }

    var keyType: String {
        switch material {
        case .rsa: "RSA"
        case .p256, .p384: "EC"
        }
    }
}

/// The keys of an issuer, by `kid`. Built once per JWKS fetch and then only read.
public struct JSONWebKeySet: Sendable {
    public let keys: [String: JSONWebKey]
    /// How many keys the document had that Portico could not use (reported, not an error).
    public let skipped: Int

    public init(keys: [JSONWebKey]) {
        var byId: [String: JSONWebKey] = [:]
        for key in keys where byId[key.kid] == nil { byId[key.kid] = key }
        self.keys = byId
        self.skipped = 0
    }

    private init(keys: [String: JSONWebKey], skipped: Int) {
        self.keys = keys
        self.skipped = skipped
    }

    /// Reads a JWKS document (`{"keys": [...]}`). nil when it is not such a document at all.
    /// A `kid` that appears twice keeps its first key: a later duplicate cannot shadow it.
    public static func parse(_ bytes: [UInt8]) -> JSONWebKeySet? {
        guard case .object(let document)? = JSONParser.parse(bytes, maxDepth: 16), case .array(let entries)? = document["keys"] else {
            return nil
        }
        var keys: [String: JSONWebKey] = [:]
        var skipped = 0
        for entry in entries {
            guard case .object(let members) = entry, let key = key(members) else {
                skipped += 1
                continue
            }
            if keys[key.kid] == nil { keys[key.kid] = key } else { skipped += 1 }
        }
        return JSONWebKeySet(keys: keys, skipped: skipped)
    }

    private static func key(_ members: [String: JSONValue]) -> JSONWebKey? {
        guard case .string(let kid)? = members["kid"], !kid.isEmpty, case .string(let type)? = members["kty"] else { return nil }
        if case .string(let use)? = members["use"], use != "sig" { return nil }
        if case .array(let operations)? = members["key_ops"], !operations.contains(.string("verify")) { return nil }
        // A private key published by mistake is not used: its holder would be anyone.
        if members["d"] != nil { return nil }
        var algorithm: String?
        if case .string(let alg)? = members["alg"] { algorithm = alg }
        func bytes(_ name: String) -> [UInt8]? {
            guard case .string(let text)? = members[name] else { return nil }
            return Base64URL.decode(text)
        }
        switch type {
        case "RSA":
            guard let n = bytes("n"), let e = bytes("e"), let key = try? _RSA.Signing.PublicKey(n: n, e: e) else { return nil }
            return JSONWebKey(kid: kid, algorithm: algorithm, material: .rsa(key), publicBytes: n + e)
        case "EC":
            guard case .string(let curve)? = members["crv"], let x = bytes("x"), let y = bytes("y") else { return nil }
            switch curve {
            case "P-256":
                guard x.count == 32, y.count == 32, let key = try? P256.Signing.PublicKey(rawRepresentation: x + y) else { return nil }
                return JSONWebKey(kid: kid, algorithm: algorithm, material: .p256(key), publicBytes: x + y)
            case "P-384":
                guard x.count == 48, y.count == 48, let key = try? P384.Signing.PublicKey(rawRepresentation: x + y) else { return nil }
                return JSONWebKey(kid: kid, algorithm: algorithm, material: .p384(key), publicBytes: x + y)
            default:
                return nil
            }
        default:
            return nil
        }
    }
}
