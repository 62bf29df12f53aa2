import Foundation
import NIOCore
import PorticoAuth
import PorticoLambda
import Testing

extension FunctionHostTests {
    /// A process of a function with a `Role` gets temporary credentials for it in Lambda's reserved
    /// variables; they are registered while the process lives and revoked when it is gone.
    @Suite struct FunctionCredentials {
        static let role = "arn:aws:iam::000000000000:role/chat"

        static func credentials(_ response: LambdaInvocationResponse) throws -> (pid: pid_t, key: String, token: String) {
            let json = try Harness.json(response)
            return (try Harness.pid(response), json["key"] as? String ?? "", json["token"] as? String ?? "")
        }

        /// Waits (bounded) until `condition` holds.
        static func eventually(_ condition: () -> Bool) async throws {
            let deadline = Date().addingTimeInterval(10)
            while !condition(), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        }

        @Test func aProcessGetsItsRolesCredentialsAndTheyDieWithIt() async throws {
            let sessions = TemporaryCredentialRegistry()
            try await Harness.withHost(sessions: sessions) { host in
                host.upsert(Harness.provided("with-role", mode: "creds", role: Self.role))
                host.upsert(Harness.provided("no-role", mode: "creds"))
                let first = try Self.credentials(try Harness.completed(try await Harness.invoke(host, "with-role")))
                #expect(first.key.hasPrefix("ASIA") && first.key.count == 20)
                let issued = try #require(sessions.credentials(accessKeyId: first.key))
                #expect(issued.sessionToken == first.token)
                #expect(issued.roleArn == Self.role && issued.sessionName == "with-role")
                // A warm process keeps its credentials.
                let again = try Self.credentials(try Harness.completed(try await Harness.invoke(host, "with-role")))
                #expect(again.pid == first.pid && again.key == first.key)
                // No role, no credentials (and Portico's own environment does not leak in).
                let none = try Self.credentials(try Harness.completed(try await Harness.invoke(host, "no-role")))
                #expect(none.key.isEmpty && none.token.isEmpty)
                #expect(sessions.count == 1)
                // Removing the function stops its process: the credentials are revoked.
                host.remove(functionName: "with-role")
                try await Self.eventually { sessions.count == 0 }
                #expect(sessions.credentials(accessKeyId: first.key) == nil)
            }
        }

        @Test func aWarmProcessWhoseCredentialsExpireSoonIsReplaced() async throws {
            let sessions = TemporaryCredentialRegistry()
            // One minute of validity is inside the five-minute margin: every invocation gets a fresh process.
            try await Harness.withHost(sessions: sessions, sessionLifetime: 60) { host in
                host.upsert(Harness.provided("short", mode: "creds", role: Self.role))
                let first = try Self.credentials(try Harness.completed(try await Harness.invoke(host, "short")))
                let second = try Self.credentials(try Harness.completed(try await Harness.invoke(host, "short")))
                #expect(second.pid != first.pid && second.key != first.key)
                try await Self.eventually { sessions.credentials(accessKeyId: first.key) == nil }
                #expect(sessions.credentials(accessKeyId: first.key) == nil)
                #expect(sessions.credentials(accessKeyId: second.key) != nil)
            }
        }
    }
}
