import Foundation
import PorticoAuth
import PorticoModel
import Testing

/// Temporary credentials (what local function processes get for their role) as the verifier accepts
/// them: with their session token, before their expiration, while they are registered.
struct TemporaryCredentialsTests {
    static let date = SigV4Vector.date(basicFormat: "20240102T030405Z")

    /// A GET signed with `credentials` (and `token`, sent as `X-Amz-Security-Token` when given).
    static func request(_ credentials: TemporaryCredentials, token: String?) -> SigV4Request {
        let signer = SigV4Signer(
            accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: token, region: "us-east-1",
            service: "execute-api")
        let added = signer.sign(method: "GET", host: "localhost:8080", path: "/prod/x", query: "", headers: [], body: [], date: date)
        return SigV4Request(
            method: "GET", path: "/prod/x", query: "", headers: ([("Host", "localhost:8080")] + added).map { (name: $0.0, value: $0.1) },
            bodySHA256: SigV4Verifier.sha256Hex([UInt8]()))
    }

    @Test func issuedCredentialsLookLikeSTSAndVerifyWithTheirToken() {
        let sessions = TemporaryCredentialRegistry()
        let credentials = sessions.issue(roleArn: "arn:aws:iam::000000000000:role/team/chat", sessionName: "fn", now: Self.date)
        #expect(credentials.accessKeyId.hasPrefix("ASIA") && credentials.accessKeyId.count == 20)
        #expect(credentials.secretAccessKey.count == 40 && !credentials.sessionToken.isEmpty)
        #expect(credentials.roleName == "chat")
        let verifier = SigV4Verifier(mode: .verifyWithSessions(credentials: [:], sessions: sessions))
        let result = verifier.verify(Self.request(credentials, token: credentials.sessionToken), now: Self.date)
        #expect(result.identity?.accessKeyId == credentials.accessKeyId)
    }

    @Test func aMissingOrWrongTokenIsAnInvalidToken() {
        let sessions = TemporaryCredentialRegistry()
        let credentials = sessions.issue(roleArn: "arn:aws:iam::000000000000:role/chat", sessionName: "fn", now: Self.date)
        let verifier = SigV4Verifier(mode: .verifyWithSessions(credentials: [:], sessions: sessions))
        for token in [nil, credentials.sessionToken + "x", "IQoJb3JpZ2luX2Vj"] {
            let result = verifier.verify(Self.request(credentials, token: token), now: Self.date)
            #expect(result.errorType == "UnrecognizedClientException")
            #expect(result.error?.message == "The security token included in the request is invalid.")
        }
        // The plain verifier (no sessions) does not know the key at all.
        let plain = SigV4Verifier(mode: .verify(credentials: [:]))
        #expect(plain.verify(Self.request(credentials, token: credentials.sessionToken), now: Self.date).errorType == "UnrecognizedClientException")
    }

    @Test func expiredAndRevokedCredentialsAreRefused() {
        let sessions = TemporaryCredentialRegistry()
        let verifier = SigV4Verifier(mode: .verifyWithSessions(credentials: [:], sessions: sessions))
        let expired = sessions.issue(roleArn: "arn:aws:iam::000000000000:role/chat", sessionName: "fn", lifetime: 60, now: Self.date.addingTimeInterval(-120))
        let result = verifier.verify(Self.request(expired, token: expired.sessionToken), now: Self.date)
        #expect(result.errorType == "ExpiredTokenException")
        #expect(result.error?.message == "The security token included in the request is expired")

        let revoked = sessions.issue(roleArn: "arn:aws:iam::000000000000:role/chat", sessionName: "fn", now: Self.date)
        sessions.revoke(accessKeyId: revoked.accessKeyId)
        #expect(sessions.credentials(accessKeyId: revoked.accessKeyId) == nil)
        #expect(verifier.verify(Self.request(revoked, token: revoked.sessionToken), now: Self.date).errorType == "UnrecognizedClientException")
        #expect(sessions.count == 1)
    }

    @Test func aSignatureNamesItsAccessKeyWithoutVerification() {
        let credentials = TemporaryCredentialRegistry().issue(roleArn: "arn:aws:iam::000000000000:role/chat", sessionName: "fn")
        #expect(SigV4Verifier.accessKeyId(of: Self.request(credentials, token: nil)) == credentials.accessKeyId)
        #expect(SigV4Verifier.accessKeyId(of: SigV4Request(method: "GET", path: "/", query: "", headers: [], bodySHA256: "")) == nil)
    }

    @Test func credentialsNeverShowTheirSecretOrToken() {
        let sessions = TemporaryCredentialRegistry()
        let credentials = sessions.issue(roleArn: "arn:aws:iam::000000000000:role/chat", sessionName: "fn")
        var dumped = ""
        dump(credentials, to: &dumped)
        let verifier = SigV4Verifier(mode: .verifyWithSessions(credentials: [:], sessions: sessions))
        for text in [String(describing: credentials), String(reflecting: credentials), dumped, "\(verifier)", "\(sessions)"] {
            #expect(!text.contains(credentials.secretAccessKey))
            #expect(!text.contains(credentials.sessionToken))
        }
    }
}
