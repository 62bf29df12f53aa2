import Foundation
import PorticoModel
import PorticoStore
import Testing

/// The contract for IAM users: one document per user (keys and policies inside), in name order,
/// announced as an IAM change, rolled back with their transaction, and gone after a reset.
extension StoreContract {
    static let iamUserChecks: [StoreContractCheck] = [
        StoreContractCheck(name: "IAM user round trip", run: iamRoundTrip),
        StoreContractCheck(name: "IAM user changes are announced", run: iamChanges),
        StoreContractCheck(name: "IAM user rollback and deleteEverything", run: iamRollbackAndReset),
    ]

    static func sampleUser(_ name: String) -> IamUserDocument {
        var user = IamUserDocument(userName: name, userId: "AIDAAAAAAAAAAAAAAAAAA", path: "/", createDate: "2024-01-02T03:04:05Z")
        user.accessKeys = [
            IamAccessKey(accessKeyId: "AKIAAAAAAAAAAAAAAAAA", secretAccessKey: String(repeating: "s", count: 40), status: "Active",
                createDate: "2024-01-02T03:04:05Z")
        ]
        user.policies = ["invoke": #"{"Statement":[]}"#]
        return user
    }

    static func iamRoundTrip(_ store: any Store) async throws {
        let (bob, alice) = (sampleUser("bob"), sampleUser("alice"))
        try await store.transaction { tx in
            try tx.putIamUser(bob)
            try tx.putIamUser(alice)
        }
        let (one, all, missing) = try await store.transaction { tx in
            (try tx.iamUser(name: "bob"), try tx.allIamUsers(), try tx.iamUser(name: "carol"))
        }
        #expect(one == bob)
        #expect(all == [alice, bob])
        #expect(missing == nil)
        try await store.transaction { tx in try tx.deleteIamUser(name: "alice") }
        #expect(try await store.transaction { tx in try tx.allIamUsers() } == [bob])
    }

    static func iamChanges(_ store: any Store) async throws {
        var iterator = store.changes().makeAsyncIterator()
        try await store.transaction { tx in try tx.putIamUser(sampleUser("one")) }
        #expect(await iterator.next() == StoreChange(apiIds: [], iamUsers: true))
        try await store.transaction { tx in try tx.deleteIamUser(name: "one") }
        #expect(await iterator.next() == StoreChange(apiIds: [], iamUsers: true))
    }

    static func iamRollbackAndReset(_ store: any Store) async throws {
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await store.transaction { tx in
                try tx.putIamUser(sampleUser("rolled-back"))
                throw Boom()
            }
        }
        #expect(try await store.transaction { tx in try tx.allIamUsers() } == [])
        try await store.transaction { tx in try tx.putIamUser(sampleUser("kept")) }
        try await store.transaction { tx in try tx.deleteEverything() }
        #expect(try await store.transaction { tx in try tx.allIamUsers() } == [])
    }
}
