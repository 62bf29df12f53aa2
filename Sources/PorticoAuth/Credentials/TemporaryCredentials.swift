public import Foundation
import Synchronization

/// Temporary security credentials, as STS hands out for an assumed role and Lambda gives a
/// function's execution environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
/// `AWS_SESSION_TOKEN`): an `ASIA...` access key id, a secret, and a session token every signed
/// request must carry as `X-Amz-Security-Token`.
///
/// Portico mints them for local function processes (``TemporaryCredentialRegistry/issue(roleArn:sessionName:lifetime:now:)``);
/// they live only in memory and are never logged.
public struct TemporaryCredentials: Sendable, Equatable {
    /// `ASIA` and 16 upper-case letters and digits.
    public let accessKeyId: String
    public let secretAccessKey: String
    public let sessionToken: String
    /// The role the credentials act as, as the function's `Role` names it (`arn:aws:iam::{account}:role{path}{name}`).
    public let roleArn: String
    /// The role session name: Lambda uses the function's name.
    public let sessionName: String
    public let expiration: Date

    /// The role's name: the last segment of ``roleArn``'s resource (paths are not part of the
    /// assumed-role ARN, `arn:aws:sts::{account}:assumed-role/{name}/{session}`).
    public var roleName: String {
        let resource = roleArn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last ?? ""
        return resource.split(separator: "/").last.map(String.init) ?? ""
    }
}

extension TemporaryCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Never shows the secret or the token, so credentials can be logged or dumped safely.
    public var description: String { "TemporaryCredentials(\(accessKeyId), \(roleArn), \(sessionName))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyId": accessKeyId, "roleArn": roleArn, "sessionName": sessionName], displayStyle: .struct)
    }
}

/// The temporary credentials alive in this Portico process, by access key id: issued when a
/// function process starts, revoked when it is gone. SigV4 verification
/// (``SigV4Verifier/Mode/verifyWithSessions(credentials:sessions:)``) reads them; the data plane
/// maps them to the role's policies. Nothing is stored on disk: a restart forgets them, as it
/// stops the processes that held them.
public final class TemporaryCredentialRegistry: Sendable {
    private let entries = Mutex<[String: TemporaryCredentials]>([:])

    public init() {}

    /// New credentials for `roleArn`, valid for `lifetime` seconds from `now`.
    public func issue(roleArn: String, sessionName: String, lifetime: TimeInterval = 12 * 3600, now: Date = Date()) -> TemporaryCredentials {
        let credentials = TemporaryCredentials(
            accessKeyId: Self.accessKeyId(), secretAccessKey: Self.random(40, from: Self.secretAlphabet),
            sessionToken: Self.sessionToken(), roleArn: roleArn, sessionName: sessionName, expiration: now.addingTimeInterval(lifetime))
        entries.withLock { $0[credentials.accessKeyId] = credentials }
        return credentials
    }

    public func revoke(accessKeyId: String) {
        _ = entries.withLock { $0.removeValue(forKey: accessKeyId) }
    }

    /// The live credentials with this access key id (expired ones too: the verifier answers them
    /// `ExpiredTokenException`).
    public func credentials(accessKeyId: String) -> TemporaryCredentials? {
        entries.withLock { $0[accessKeyId] }
    }

    public var count: Int { entries.withLock { $0.count } }

    private static let upperAlphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    private static let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// `ASIA` + 16: STS's temporary access key ids.
    static func accessKeyId() -> String { "ASIA" + random(16, from: upperAlphanumerics) }

    /// 256 random bits, base64 (STS's tokens are longer opaque base64 blobs; only equality matters).
    static func sessionToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<48).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "IQoJb3JpZ2luX2Vj" + Data(bytes).base64EncodedString()
    }

    private static func random(_ count: Int, from alphabet: [Character]) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }
}

extension TemporaryCredentialRegistry: CustomStringConvertible {
    public var description: String { "TemporaryCredentialRegistry(\(count) live)" }
}
