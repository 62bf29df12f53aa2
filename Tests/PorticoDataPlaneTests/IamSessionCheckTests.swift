import Foundation
import NIOHTTP1
import PorticoAuth
import PorticoModel
import PorticoRuntime
import Testing

@testable import PorticoDataPlane

/// The data plane's SigV4 check with a function's temporary credentials: accepted with their token as
/// the assumed role; expired ones are `ExpiredTokenException`, filed under EXPIRED_TOKEN.
struct IamSessionCheckTests {
    static let account = "000000000000"

    static func head(_ credentials: TemporaryCredentials, token: String?, date: Date) -> HTTPRequestHead {
        let signer = SigV4Signer(
            accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: token, region: "us-east-1",
            service: "execute-api")
        let added = signer.sign(method: "GET", host: "localhost", path: "/prod/who", query: "", headers: [], body: [], date: date)
        return HTTPRequestHead(version: .http1_1, method: .GET, uri: "/prod/who", headers: HTTPHeaders([("Host", "localhost")] + added))
    }

    @Test func temporaryCredentialsSignAsTheAssumedRole() throws {
        let sessions = TemporaryCredentialRegistry()
        var role = IamRoleDocument(
            roleName: "chat", roleId: "AROAEXAMPLEEXAMPLE123", path: "/", createDate: "2024-01-02T03:04:05Z", assumeRolePolicyDocument: "{}")
        role.policies = ["p": #"{"Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}"#]
        let table = IamCredentialTable(users: [], roles: [role], accountId: Self.account, sessions: sessions)
        let now = Date()
        let credentials = sessions.issue(roleArn: "arn:aws:iam::\(Self.account):role/chat", sessionName: "fn", now: now)
        let nowMillis = Int64(now.timeIntervalSince1970 * 1000)
        let principal = try IamSignatureCheck.verify(
            table, head: Self.head(credentials, token: credentials.sessionToken, date: now), rawQuery: "", body: [], nowMillis: nowMillis
        ).get()
        #expect(principal.userArn == "arn:aws:sts::\(Self.account):assumed-role/chat/fn")
        #expect(principal.userId == "AROAEXAMPLEEXAMPLE123:fn")
        #expect(principal.policy.decision(action: "execute-api:Invoke", resource: "arn:x", caller: principal.caller, sourceIp: nil) == .allow)

        guard case .failure(let missing) = IamSignatureCheck.verify(
            table, head: Self.head(credentials, token: nil, date: now), rawQuery: "", body: [], nowMillis: nowMillis)
        else { Issue.record("a missing token must be refused"); return }
        #expect(missing.type == "UnrecognizedClientException")
        #expect(IamSignatureCheck.responseType(missing) == .invalidSignature)
    }

    @Test func expiredCredentialsAreAnExpiredToken() {
        let sessions = TemporaryCredentialRegistry()
        let table = IamCredentialTable(users: [], accountId: Self.account, sessions: sessions)
        let now = Date()
        let credentials = sessions.issue(roleArn: "arn:aws:iam::\(Self.account):role/chat", sessionName: "fn", lifetime: 60, now: now.addingTimeInterval(-61))
        guard case .failure(let expired) = IamSignatureCheck.verify(
            table, head: Self.head(credentials, token: credentials.sessionToken, date: now), rawQuery: "", body: [],
            nowMillis: Int64(now.timeIntervalSince1970 * 1000))
        else { Issue.record("expired credentials must be refused"); return }
        #expect(expired.type == "ExpiredTokenException" && expired.status == 403)
        #expect(IamSignatureCheck.responseType(expired) == .expiredToken)
    }
}
