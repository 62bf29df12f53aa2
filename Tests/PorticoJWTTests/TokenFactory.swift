import Crypto
import Foundation
import PorticoModel
import _CryptoExtras

@testable import PorticoJWT

/// Keys and signed tokens for the verifier's tests, made with swift-crypto itself.
enum TokenFactory {
    static let issuer = "https://issuer.example"
    static let audience = "client-1"
    static let now: Int64 = 1_800_000_000

    // Key generation is slow in debug builds: one key of each kind for the whole suite.
    static let rsa = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let otherRSA = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let p256 = P256.Signing.PrivateKey()
    static let p384 = P384.Signing.PrivateKey()

    static func base64url(_ bytes: some DataProtocol) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func jwk(_ key: _RSA.Signing.PrivateKey, kid: String, alg: String? = nil) -> String {
        let primitives = try! key.publicKey.getKeyPrimitives()
        var text = #"{"kty":"RSA","kid":"\#(kid)","use":"sig","n":"\#(base64url(primitives.modulus))","e":"\#(base64url(primitives.publicExponent))""#
        if let alg { text += #","alg":"\#(alg)""# }
        return text + "}"
    }

    static func jwk(p256 key: P256.Signing.PrivateKey, kid: String) -> String {
        let raw = key.publicKey.rawRepresentation
        return #"{"kty":"EC","kid":"\#(kid)","crv":"P-256","x":"\#(base64url(raw.prefix(32)))","y":"\#(base64url(raw.suffix(32)))"}"#
    }

    static func jwk(p384 key: P384.Signing.PrivateKey, kid: String) -> String {
        let raw = key.publicKey.rawRepresentation
        return #"{"kty":"EC","kid":"\#(kid)","crv":"P-384","x":"\#(base64url(raw.prefix(48)))","y":"\#(base64url(raw.suffix(48)))"}"#
    }

    /// rsa as `rsa-1`, P-256 as `ec-256`, P-384 as `ec-384`.
    static let keySet: JSONWebKeySet = JSONWebKeySet.parse(
        Array(#"{"keys":[\#(jwk(rsa, kid: "rsa-1")),\#(jwk(p256: p256, kid: "ec-256")),\#(jwk(p384: p384, kid: "ec-384"))]}"#.utf8))!

    static func claims(_ extra: [String: String] = [:], without: Set<String> = []) -> String {
        var members: [String: String] = [
            "iss": "\"\(issuer)\"", "aud": "\"\(audience)\"", "sub": "\"user-1\"", "exp": "\(now + 3600)", "iat": "\(now - 10)",
        ]
        for name in without { members[name] = nil }
        for (name, value) in extra { members[name] = value }
        return "{" + members.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
    }

    static func header(alg: String, kid: String?, extra: String = "") -> String {
        var text = #"{"alg":"\#(alg)","typ":"JWT""#
        if let kid { text += #","kid":"\#(kid)""# }
        return text + extra + "}"
    }

    /// A token signed as `alg` says (with the matching key); `signAs` overrides the algorithm used.
    static func token(alg: String = "RS256", kid: String? = "rsa-1", headerExtra: String = "", claims: String = claims(), key: _RSA.Signing.PrivateKey = rsa) -> String {
        let input = base64url(Array(header(alg: alg, kid: kid, extra: headerExtra).utf8)) + "." + base64url(Array(claims.utf8))
        let data = Array(input.utf8)
        let signature: [UInt8]
        switch alg {
        case "RS256": signature = Array(try! key.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation)
        case "RS384": signature = Array(try! key.signature(for: SHA384.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation)
        case "RS512": signature = Array(try! key.signature(for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation)
        case "PS256": signature = Array(try! key.signature(for: SHA256.hash(data: data), padding: .PSS).rawRepresentation)
        case "PS384": signature = Array(try! key.signature(for: SHA384.hash(data: data), padding: .PSS).rawRepresentation)
        case "PS512": signature = Array(try! key.signature(for: SHA512.hash(data: data), padding: .PSS).rawRepresentation)
        case "ES256": signature = Array(try! p256.signature(for: SHA256.hash(data: data)).rawRepresentation)
        case "ES384": signature = Array(try! p384.signature(for: SHA384.hash(data: data)).rawRepresentation)
        default: signature = []
        }
        return input + "." + base64url(signature)
    }
}
