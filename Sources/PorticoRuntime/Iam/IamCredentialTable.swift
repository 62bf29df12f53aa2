public import PorticoAuth
public import PorticoModel

/// The IAM users' active access keys as the data plane verifies them for `AWS_IAM` methods and
/// routes, compiled from the store's ``IamUserDocument``s whenever a user, key or policy changes
/// (never per request). An inactive key is absent, so it signs nothing: AWS answers it as an
/// unknown key ("The security token included in the request is invalid.").
///
/// Roles (``IamRoleDocument``) are compiled to their merged inline policies by ARN; temporary
/// credentials (``TemporaryCredentialRegistry``, minted for local function processes) are looked up
/// live and act as their role: a role Portico does not have grants nothing, as on AWS.
public final class IamCredentialTable: Sendable {
    /// Who an access key belongs to, with the user's (or role's) inline policies merged into one.
    public struct Principal: Sendable {
        public let userName: String
        /// `$context.identity.user` / `caller`: the user id (`AIDA...`), or for an assumed role
        /// `{roleId}:{sessionName}` (`AROA...:my-function`), as AWS shows it.
        public let userId: String
        /// The user's ARN, or the assumed role's `arn:aws:sts::{account}:assumed-role/{role}/{session}`.
        public let userArn: String
        public let accountId: String
        public let accessKeyId: String
        public let policy: IamPolicy

        public var caller: IamPolicy.Caller { IamPolicy.Caller(userArn: userArn, accountId: accountId) }
    }

    /// A role as the data plane needs it.
    struct Role: Sendable {
        let roleName: String
        let roleId: String
        let policy: IamPolicy
    }

    /// Access key id → secret access key, for the SigV4 verifier. Never logged.
    public let secrets: [String: String]
    public let principals: [String: Principal]
    /// Roles by lower-cased ARN (IAM names are case-insensitive).
    let roles: [String: Role]
    /// The live temporary credentials of local function processes; nil where there are none.
    public let sessions: TemporaryCredentialRegistry?
    private let accountId: String

    public init(users: [IamUserDocument], roles: [IamRoleDocument] = [], accountId: String, sessions: TemporaryCredentialRegistry? = nil) {
        var secrets: [String: String] = [:]
        var principals: [String: Principal] = [:]
        for user in users {
            let policy = Self.merged(user.policies)
            for key in user.accessKeys where key.status == "Active" {
                secrets[key.accessKeyId] = key.secretAccessKey
                principals[key.accessKeyId] = Principal(
                    userName: user.userName, userId: user.userId, userArn: user.arn(accountId: accountId), accountId: accountId,
                    accessKeyId: key.accessKeyId, policy: policy)
            }
        }
        var compiledRoles: [String: Role] = [:]
        for role in roles {
            compiledRoles[role.arn(accountId: accountId).lowercased()] = Role(
                roleName: role.roleName, roleId: role.roleId, policy: Self.merged(role.policies))
        }
        self.secrets = secrets
        self.principals = principals
        self.roles = compiledRoles
        self.sessions = sessions
        self.accountId = accountId
    }

    /// The SigV4 verifier's mode: the users' keys, and the live temporary credentials.
    public var verifierMode: SigV4Verifier.Mode {
        if let sessions { return .verifyWithSessions(credentials: secrets, sessions: sessions) }
        return .verify(credentials: secrets)
    }

    /// Who signed with `accessKeyId` (a verified signature): a user, or the role temporary
    /// credentials act as. A role that does not exist (any more) gives a principal with no policy,
    /// so it authenticates and is allowed nothing, as AWS would.
    public func principal(accessKeyId: String) -> Principal? {
        if let principal = principals[accessKeyId] { return principal }
        guard let session = sessions?.credentials(accessKeyId: accessKeyId) else { return nil }
        let role = roles[session.roleArn.lowercased()]
        let roleName = role?.roleName ?? session.roleName
        return Principal(
            userName: roleName, userId: role.map { "\($0.roleId):\(session.sessionName)" } ?? session.sessionName,
            userArn: "arn:aws:sts::\(accountId):assumed-role/\(roleName)/\(session.sessionName)", accountId: accountId,
            accessKeyId: accessKeyId, policy: role?.policy ?? IamPolicy(statements: []))
    }

    /// Whether Portico manages `accessKeyId` (a user's active key or live temporary credentials).
    public func manages(accessKeyId: String) -> Bool {
        principals[accessKeyId] != nil || sessions?.credentials(accessKeyId: accessKeyId) != nil
    }

    /// The inline policies' statements in one policy. PutUserPolicy and PutRolePolicy refuse
    /// malformed documents; one that no longer parses grants nothing.
    private static func merged(_ policies: [String: String]) -> IamPolicy {
        var statements: [IamPolicy.Statement] = []
        for (_, text) in policies.sorted(by: { $0.key < $1.key }) {
            if case .success(let policy) = IamPolicy.parse(text, resourcePolicy: false) { statements += policy.statements }
        }
        return IamPolicy(statements: statements)
    }

    public static let empty = IamCredentialTable(users: [], accountId: "")
}

extension IamCredentialTable: CustomStringConvertible {
    public var description: String { "IamCredentialTable(\(principals.count) active keys, \(roles.count) roles)" }
}
