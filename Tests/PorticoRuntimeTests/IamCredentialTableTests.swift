import PorticoAuth
import PorticoModel
import PorticoRuntime
import Testing

/// Who temporary credentials act as: the role their function's `Role` names, with its inline policies;
/// a role Portico does not have authenticates and allows nothing.
struct IamCredentialTableTests {
    static let account = "123456789012"
    static let allowConnections = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:ManageConnections","Resource":"*"}]}"#
    static let trust = #"{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#

    static func role(_ name: String, path: String = "/", policies: [String: String] = [:]) -> IamRoleDocument {
        var role = IamRoleDocument(
            roleName: name, roleId: "AROA" + String(repeating: "X", count: 17), path: path, createDate: "2024-01-02T03:04:05Z",
            assumeRolePolicyDocument: trust)
        role.policies = policies
        return role
    }

    @Test func temporaryCredentialsActAsTheirRole() {
        let sessions = TemporaryCredentialRegistry()
        let table = IamCredentialTable(
            users: [], roles: [Self.role("Chat", path: "/team/", policies: ["ws": Self.allowConnections])], accountId: Self.account,
            sessions: sessions)
        // Role names match regardless of case, as IAM's do.
        let credentials = sessions.issue(roleArn: "arn:aws:iam::\(Self.account):role/team/chat", sessionName: "chat-fn")
        let principal = table.principal(accessKeyId: credentials.accessKeyId)
        #expect(principal?.userArn == "arn:aws:sts::\(Self.account):assumed-role/Chat/chat-fn")
        #expect(principal?.userId == "AROAXXXXXXXXXXXXXXXXX:chat-fn")
        #expect(principal?.accessKeyId == credentials.accessKeyId)
        #expect(principal?.policy.decision(action: "execute-api:ManageConnections", resource: "arn:x", caller: principal?.caller, sourceIp: nil) == .allow)
        #expect(table.manages(accessKeyId: credentials.accessKeyId))
        #expect(table.principal(accessKeyId: "ASIANOTISSUED0000000") == nil)
        if case .verifyWithSessions = table.verifierMode {} else { Issue.record("the verifier should know the sessions") }
    }

    @Test func aRoleThatDoesNotExistAllowsNothing() {
        let sessions = TemporaryCredentialRegistry()
        let table = IamCredentialTable(users: [], roles: [Self.role("other")], accountId: Self.account, sessions: sessions)
        // Another path is another ARN: not this role either.
        for arn in ["arn:aws:iam::\(Self.account):role/ghost", "arn:aws:iam::\(Self.account):role/elsewhere/other", "arn:aws:iam::999999999999:role/other"] {
            let credentials = sessions.issue(roleArn: arn, sessionName: "fn")
            let principal = table.principal(accessKeyId: credentials.accessKeyId)
            #expect(principal != nil)
            #expect(principal?.policy.decision(action: "execute-api:ManageConnections", resource: "arn:x", caller: nil, sourceIp: nil) == .implicitDeny)
        }
        sessions.revoke(accessKeyId: sessions.issue(roleArn: "arn:aws:iam::\(Self.account):role/other", sessionName: "gone").accessKeyId)
        #expect(table.description == "IamCredentialTable(0 active keys, 1 roles)")
    }

    @Test func withoutSessionsOnlyUsersSign() {
        let table = IamCredentialTable(users: [], accountId: Self.account)
        if case .verify = table.verifierMode {} else { Issue.record("no sessions: plain verification") }
        #expect(!table.manages(accessKeyId: "ASIAANYTHING00000000"))
    }
}
