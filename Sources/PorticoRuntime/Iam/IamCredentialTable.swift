public import PorticoModel

/// The IAM users' active access keys as the data plane verifies them for `AWS_IAM` methods and
/// routes, compiled from the store's ``IamUserDocument``s whenever a user, key or policy changes
/// (never per request). An inactive key is absent, so it signs nothing: AWS answers it as an
/// unknown key ("The security token included in the request is invalid.").
public final class IamCredentialTable: Sendable {
    /// Who an access key belongs to, with the user's inline policies merged into one.
    public struct Principal: Sendable {
        public let userName: String
        public let userId: String
        public let userArn: String
        public let accountId: String
        public let accessKeyId: String
        public let policy: IamPolicy

        public var caller: IamPolicy.Caller { IamPolicy.Caller(userArn: userArn, accountId: accountId) }
    }

    /// Access key id → secret access key, for the SigV4 verifier. Never logged.
    public let secrets: [String: String]
    public let principals: [String: Principal]

    public init(users: [IamUserDocument], accountId: String) {
        var secrets: [String: String] = [:]
        var principals: [String: Principal] = [:]
        for user in users {
            var statements: [IamPolicy.Statement] = []
            for (_, text) in user.policies.sorted(by: { $0.key < $1.key }) {
                // PutUserPolicy refuses malformed documents; one that no longer parses grants nothing.
                if case .success(let policy) = IamPolicy.parse(text, resourcePolicy: false) { statements += policy.statements }
            }
            let policy = IamPolicy(statements: statements)
            for key in user.accessKeys where key.status == "Active" {
                secrets[key.accessKeyId] = key.secretAccessKey
                principals[key.accessKeyId] = Principal(
                    userName: user.userName, userId: user.userId, userArn: user.arn(accountId: accountId), accountId: accountId,
                    accessKeyId: key.accessKeyId, policy: policy)
            }
        }
        self.secrets = secrets
        self.principals = principals
    }

    public static let empty = IamCredentialTable(users: [], accountId: "")
}

extension IamCredentialTable: CustomStringConvertible {
    public var description: String { "IamCredentialTable(\(principals.count) active keys)" }
}
