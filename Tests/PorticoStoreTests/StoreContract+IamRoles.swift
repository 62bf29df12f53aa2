import Foundation
import PorticoModel
import PorticoStore
import Testing

/// The contract for IAM roles: one document per role (trust policy and inline policies inside), in
/// name order, announced as an IAM change (the data plane's credentials follow roles as they follow
/// users), and gone after a reset.
extension StoreContract {
    static let iamRoleChecks: [StoreContractCheck] = [
        StoreContractCheck(name: "IAM role round trip", run: iamRoleRoundTrip),
        StoreContractCheck(name: "IAM role changes are announced and reset", run: iamRoleChangesAndReset),
    ]

    static func sampleRole(_ name: String) -> IamRoleDocument {
        var role = IamRoleDocument(
            roleName: name, roleId: "AROAAAAAAAAAAAAAAAAAA", path: "/service/", createDate: "2024-01-02T03:04:05Z",
            assumeRolePolicyDocument: #"{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
            description: "a role", maxSessionDuration: 7200)
        role.policies = ["ws": #"{"Statement":[]}"#]
        return role
    }

    static func iamRoleRoundTrip(_ store: any Store) async throws {
        let (chat, api) = (sampleRole("chat"), sampleRole("api"))
        try await store.transaction { tx in
            try tx.putIamRole(chat)
            try tx.putIamRole(api)
        }
        let (one, all, missing) = try await store.transaction { tx in
            (try tx.iamRole(name: "chat"), try tx.allIamRoles(), try tx.iamRole(name: "nobody"))
        }
        #expect(one == chat)
        #expect(all == [api, chat])
        #expect(missing == nil)
        try await store.transaction { tx in try tx.deleteIamRole(name: "api") }
        #expect(try await store.transaction { tx in try tx.allIamRoles() } == [chat])
    }

    static func iamRoleChangesAndReset(_ store: any Store) async throws {
        var iterator = store.changes().makeAsyncIterator()
        try await store.transaction { tx in try tx.putIamRole(sampleRole("one")) }
        #expect(await iterator.next() == StoreChange(apiIds: [], iamUsers: true))
        try await store.transaction { tx in try tx.deleteEverything() }
        #expect(await iterator.next()?.iamUsers == true)
        #expect(try await store.transaction { tx in try tx.allIamRoles() } == [])
    }
}
