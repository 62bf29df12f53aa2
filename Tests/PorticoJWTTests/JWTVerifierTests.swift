import Crypto
import Foundation
import PorticoModel
import Testing
import _CryptoExtras

@testable import PorticoJWT

struct JWTVerifierTests {
    typealias F = TokenFactory
    let verifier = JWTVerifier(issuer: F.issuer, audiences: [F.audience])
    let allAlgorithms = JWTVerifier(issuer: F.issuer, audiences: [F.audience], algorithms: Set(JWTAlgorithm.allCases))

    func verify(_ token: String, _ verifier: JWTVerifier? = nil, now: Int64 = F.now, use: JWTVerifier.TokenUse = .any) -> Result<CompactJWS, JWTFailure> {
        (verifier ?? self.verifier).verify(Substring(token), keys: F.keySet, now: now, tokenUse: use)
    }

    func failure(_ result: Result<CompactJWS, JWTFailure>) -> JWTFailure? {
        if case .failure(let failure) = result { return failure }
        return nil
    }

    @Test(arguments: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"])
    func acceptsEachRSAAlgorithm(_ alg: String) throws {
        let jws = try verify(F.token(alg: alg)).get()
        #expect(jws.claims["sub"] == .string("user-1"))
    }

    @Test(arguments: [("ES256", "ec-256"), ("ES384", "ec-384")])
    func acceptsECAlgorithmsWhereAllowed(_ alg: String, _ kid: String) throws {
        _ = try verify(F.token(alg: alg, kid: kid), allAlgorithms).get()
        // AWS's HTTP API JWT authorizers only take RSA-based algorithms, and so does the default.
        #expect(failure(verify(F.token(alg: alg, kid: kid))) == .algorithmNotAllowed(alg))
    }

    @Test(arguments: ["none", "None", "NONE", "nOnE", "none ", ""])
    func refusesAlgNoneInEverySpelling(_ alg: String) {
        // Unsigned: an empty signature part, and also with a stray signature.
        let input = F.base64url(Array(F.header(alg: alg, kid: "rsa-1").utf8)) + "." + F.base64url(Array(F.claims().utf8))
        #expect(failure(verify(input + ".")) == .malformed)
        #expect(failure(verify(input + ".AAAA")) == .algorithmNotAllowed(alg))
        #expect(failure(verify(input + ".AAAA", allAlgorithms)) == .algorithmNotAllowed(alg))
    }

    @Test(arguments: ["HS256", "HS384", "HS512"])
    func refusesHMACSignedWithThePublicKey(_ alg: String) {
        // The classic confusion attack: HMAC keyed with the RSA public key the JWKS publishes.
        let primitives = try! F.rsa.publicKey.getKeyPrimitives()
        let secret = SymmetricKey(data: Array(F.jwk(F.rsa, kid: "rsa-1").utf8))
        let der = SymmetricKey(data: F.rsa.publicKey.derRepresentation)
        _ = primitives
        for key in [secret, der] {
            let input = F.base64url(Array(F.header(alg: alg, kid: "rsa-1").utf8)) + "." + F.base64url(Array(F.claims().utf8))
            let mac: [UInt8]
            switch alg {
            case "HS256": mac = Array(HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: key))
            case "HS384": mac = Array(HMAC<SHA384>.authenticationCode(for: Array(input.utf8), using: key))
            default: mac = Array(HMAC<SHA512>.authenticationCode(for: Array(input.utf8), using: key))
            }
            #expect(failure(verify(input + "." + F.base64url(mac), allAlgorithms)) == .algorithmNotAllowed(alg))
        }
    }

    @Test func refusesAnUnknownOrMissingKid() {
        #expect(failure(verify(F.token(kid: "rotated-away"))) == .unknownKey)
        #expect(failure(verify(F.token(kid: nil))) == .unknownKey)
        #expect(failure(verify(F.token(kid: ""))) == .unknownKey)
    }

    @Test func refusesATokenSignedByAnotherKeyUnderAKnownKid() {
        #expect(failure(verify(F.token(key: F.otherRSA))) == .badSignature)
    }

    @Test func refusesAnRSAAlgorithmNamingAnECKey() {
        #expect(failure(verify(F.token(alg: "RS256", kid: "ec-256"), allAlgorithms)) == .algorithmNotAllowed("RS256"))
    }

    @Test func aKeyPublishedWithAnAlgOnlyVerifiesThatAlg() throws {
        let keys = JSONWebKeySet.parse(Array(#"{"keys":[\#(F.jwk(F.rsa, kid: "rsa-1", alg: "RS256"))]}"#.utf8))!
        _ = try verifier.verify(Substring(F.token(alg: "RS256")), keys: keys, now: F.now).get()
        #expect(failure(verifier.verify(Substring(F.token(alg: "PS256")), keys: keys, now: F.now)) == .algorithmNotAllowed("PS256"))
    }

    @Test(arguments: [
        (#","jku":"https://evil.example/jwks.json""#, "jku"), (#","x5u":"https://evil.example/cert.pem""#, "x5u"),
        (#","jwk":{"kty":"RSA","n":"AQAB","e":"AQAB"}"#, "jwk"), (#","x5c":["MIIB"]"#, "x5c"),
    ])
    func refusesForeignKeyReferences(_ extra: String, _ name: String) {
        #expect(failure(verify(F.token(headerExtra: extra))) == .foreignKeyReference(name))
    }

    @Test(arguments: [#","crit":["exp"]"#, #","crit":["b64"],"b64":false"#, #","crit":[]"#])
    func refusesAnyCritHeader(_ extra: String) {
        #expect(failure(verify(F.token(headerExtra: extra))) == .criticalHeader)
    }

    @Test func requiresExp() {
        #expect(failure(verify(F.token(claims: F.claims(without: ["exp"])))) == .missingExpiry)
        #expect(failure(verify(F.token(claims: F.claims(["exp": "\"soon\""])))) == .malformed)
    }

    @Test func expiryEdgesWithTheClockSkew() throws {
        let token = F.token(claims: F.claims(["exp": "\(F.now)"]))
        let skew = JWTVerifier.defaultClockSkewSeconds
        _ = try verify(token, now: F.now + skew - 1).get()
        #expect(failure(verify(token, now: F.now + skew)) == .expired)
        let strict = JWTVerifier(issuer: F.issuer, audiences: [F.audience], clockSkewSeconds: 0)
        _ = try verify(token, strict, now: F.now - 1).get()
        #expect(failure(verify(token, strict, now: F.now)) == .expired)
    }

    @Test func notBeforeEdgesWithTheClockSkew() throws {
        let skew = JWTVerifier.defaultClockSkewSeconds
        let token = F.token(claims: F.claims(["nbf": "\(F.now + skew)"]))
        _ = try verify(token).get()
        let later = F.token(claims: F.claims(["nbf": "\(F.now + skew + 1)"]))
        #expect(failure(verify(later)) == .notYetValid)
    }

    @Test func issuedAtInTheFutureBeyondTheSkew() throws {
        let skew = JWTVerifier.defaultClockSkewSeconds
        _ = try verify(F.token(claims: F.claims(["iat": "\(F.now + skew)"]))).get()
        #expect(failure(verify(F.token(claims: F.claims(["iat": "\(F.now + skew + 1)"])))) == .issuedInFuture)
    }

    @Test func refusesAWrongIssuer() {
        #expect(failure(verify(F.token(claims: F.claims(["iss": "\"https://issuer.example/\""])))) == .wrongIssuer)
        #expect(failure(verify(F.token(claims: F.claims(without: ["iss"])))) == .wrongIssuer)
    }

    @Test func audienceOrClientId() throws {
        #expect(failure(verify(F.token(claims: F.claims(["aud": "\"someone-else\""])))) == .wrongAudience)
        _ = try verify(F.token(claims: F.claims(["aud": #"["x","client-1"]"#]))).get()
        #expect(failure(verify(F.token(claims: F.claims(["aud": #"["x"]"#])))) == .wrongAudience)
        // No aud: client_id is checked (AWS, for access tokens such as Cognito's).
        _ = try verify(F.token(claims: F.claims(["client_id": "\"client-1\""], without: ["aud"]))).get()
        #expect(failure(verify(F.token(claims: F.claims(["client_id": "\"x\""], without: ["aud"])))) == .wrongAudience)
        #expect(failure(verify(F.token(claims: F.claims(without: ["aud"])))) == .wrongAudience)
        // aud present and wrong: a matching client_id does not rescue it (AWS evaluates aud).
        #expect(failure(verify(F.token(claims: F.claims(["aud": "\"x\"", "client_id": "\"client-1\""])))) == .wrongAudience)
        // Cognito user pool authorizers check no audience.
        let cognito = JWTVerifier(issuer: F.issuer, audiences: nil)
        _ = try verify(F.token(claims: F.claims(["aud": "\"x\""])), cognito).get()
    }

    @Test func cognitoTokenUse() throws {
        let id = F.token(claims: F.claims(["token_use": "\"id\""]))
        let access = F.token(claims: F.claims(["token_use": "\"access\""]))
        _ = try verify(id, use: .id).get()
        _ = try verify(access, use: .access).get()
        #expect(failure(verify(access, use: .id)) == .wrongTokenUse)
        #expect(failure(verify(id, use: .access)) == .wrongTokenUse)
    }

    @Test func refusesMalformedTokens() {
        let good = F.token()
        let parts = good.split(separator: ".").map(String.init)
        let cases: [String] = [
            "", "abc", "a.b", good + ".x", good + "=", parts[0] + "=." + parts[1] + "." + parts[2],
            parts[0] + "." + parts[1] + "." + parts[2] + "==",
            parts[0].replacingOccurrences(of: "e", with: "+") + "." + parts[1] + "." + parts[2],
            F.base64url(Array("[1]".utf8)) + "." + parts[1] + "." + parts[2],
            parts[0] + "." + F.base64url(Array("\"claims\"".utf8)) + "." + parts[2],
            parts[0] + "." + F.base64url(Array("{not json".utf8)) + "." + parts[2],
            parts[0] + ".." + parts[2], " " + good, good + " ",
        ]
        for token in cases { #expect(failure(verify(token)) == .malformed, "\(token)") }
    }

    @Test func refusesOversizedTokens() {
        let padding = String(repeating: "a", count: CompactJWS.maxTokenBytes)
        let big = F.token(claims: F.claims(["pad": "\"\(padding)\""]))
        #expect(failure(verify(big)) == .malformed)
    }

    @Test func refusesATamperedPayload() {
        let parts = F.token().split(separator: ".").map(String.init)
        let forged = parts[0] + "." + F.base64url(Array(F.claims(["sub": "\"admin\""]).utf8)) + "." + parts[2]
        #expect(failure(verify(forged)) == .badSignature)
    }

    @Test func base64URLIsStrict() {
        #expect(Base64URL.decode("QQ") == [65])
        #expect(Base64URL.decode("QR") == nil)  // non-zero trailing bits
        #expect(Base64URL.decode("QQ==") == nil)
        #expect(Base64URL.decode("Q") == nil)
        #expect(Base64URL.decode("-_8") == [0xfb, 0xff])
    }

    @Test func keySetSkipsUnusableKeys() {
        let text = #"{"keys":[{"kty":"RSA","kid":"enc","use":"enc","n":"AQAB","e":"AQAB"},{"kty":"oct","kid":"h","k":"c2VjcmV0"},"#
            + #"{"kty":"RSA","n":"AQAB","e":"AQAB"},\#(F.jwk(F.rsa, kid: "rsa-1")),\#(F.jwk(F.otherRSA, kid: "rsa-1"))]}"#
        let keys = JSONWebKeySet.parse(Array(text.utf8))!
        #expect(keys.keys.count == 1)
        #expect(keys.skipped == 4)
        #expect(JSONWebKeySet.parse(Array("[]".utf8)) == nil)
    }
}
