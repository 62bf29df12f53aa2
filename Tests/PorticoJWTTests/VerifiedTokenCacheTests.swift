import Testing

@testable import PorticoJWT

/// The cache of verified signatures: a hit skips only the signature check; keys, header rules and
/// claims are checked on every use, and the cache stays within its capacity.
struct VerifiedTokenCacheTests {
    typealias F = TokenFactory
    let verifier = JWTVerifier(issuer: F.issuer, audiences: [F.audience])

    func verify(_ token: String, cache: VerifiedTokenCache, keys: JSONWebKeySet = F.keySet, now: Int64 = F.now) -> Result<CompactJWS, JWTFailure> {
        let text = Substring(token)
        let jws: CompactJWS
        if let known = cache.parsed(text) {
            jws = known
        } else {
            switch CompactJWS.parse(text) {
            case .success(let parsed): jws = parsed
            case .failure(let failure): return .failure(failure)
            }
        }
        return verifier.verify(jws, token: text, keys: keys, now: now, cache: cache)
    }

    func failure(_ result: Result<CompactJWS, JWTFailure>) -> JWTFailure? {
        if case .failure(let failure) = result { return failure }
        return nil
    }

    @Test func aVerifiedTokenIsRememberedAndStillVerifies() throws {
        let cache = VerifiedTokenCache(capacity: 8)
        let token = F.token()
        _ = try verify(token, cache: cache).get()
        #expect(cache.count == 1)
        #expect(cache.parsed(Substring(token)) != nil)
        let again = try verify(token, cache: cache).get()
        #expect(again.claims["sub"] == .string("user-1"))
    }

    @Test func aBadSignatureIsNeverRemembered() {
        let cache = VerifiedTokenCache(capacity: 8)
        let forged = F.token(key: F.otherRSA)
        #expect(failure(verify(forged, cache: cache)) == .badSignature)
        #expect(failure(verify(forged, cache: cache)) == .badSignature)
        #expect(cache.count == 0)
    }

    @Test func claimsAreCheckedOnEveryUse() throws {
        let cache = VerifiedTokenCache(capacity: 8)
        let token = F.token()
        _ = try verify(token, cache: cache).get()
        // The same remembered token, an hour after its expiry: refused.
        #expect(failure(verify(token, cache: cache, now: F.now + 100_000)) == .expired)
        // And a verifier for another audience refuses it, remembered or not.
        let other = JWTVerifier(issuer: F.issuer, audiences: ["someone-else"])
        let jws = try #require(cache.parsed(Substring(token)))
        #expect(failure(other.verify(jws, token: Substring(token), keys: F.keySet, now: F.now, cache: cache)) == .wrongAudience)
    }

    @Test func aKeyRotatedOutEndsTheEntrysUse() {
        let cache = VerifiedTokenCache(capacity: 8)
        let token = F.token()
        _ = verify(token, cache: cache)
        // The issuer now publishes another key under the same kid: the remembered signature does
        // not count, and the signature check against the new key fails.
        let rotated = JSONWebKeySet.parse(Array(#"{"keys":[\#(F.jwk(F.otherRSA, kid: "rsa-1"))]}"#.utf8))!
        #expect(failure(verify(token, cache: cache, keys: rotated)) == .badSignature)
        // And with the kid gone altogether, it is an unknown key.
        let empty = JSONWebKeySet.parse(Array(#"{"keys":[]}"#.utf8))!
        #expect(failure(verify(token, cache: cache, keys: empty)) == .unknownKey)
    }

    @Test func theCacheKeepsToItsCapacityOldestFirst() throws {
        let cache = VerifiedTokenCache(capacity: 3)
        let tokens = (0..<5).map { F.token(claims: F.claims(["jti": "\"t\($0)\""])) }
        for token in tokens { _ = try verify(token, cache: cache).get() }
        #expect(cache.count == 3)
        #expect(cache.parsed(Substring(tokens[0])) == nil && cache.parsed(Substring(tokens[1])) == nil)
        #expect(tokens[2...].allSatisfy { cache.parsed(Substring($0)) != nil })
    }

    @Test func capacityZeroRemembersNothing() throws {
        let cache = VerifiedTokenCache(capacity: 0)
        _ = try verify(F.token(), cache: cache).get()
        #expect(cache.count == 0)
    }
}
