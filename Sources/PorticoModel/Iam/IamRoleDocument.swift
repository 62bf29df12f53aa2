/// One IAM role that Portico manages (`aws iam create-role` on the management listener), with its
/// trust policy and its inline permission policies. Read and written as one unit, like
/// ``IamUserDocument``.
///
/// A role has no long-term keys. Portico uses it as Lambda does: a local function whose `Role`
/// names it gets temporary credentials acting as the role (docs/IAM_AUTH.md, "Roles").
public struct IamRoleDocument: Codable, Sendable, Equatable {
    public var roleName: String
    /// IAM's `RoleId`: `AROA` and 17 upper-case letters and digits.
    public var roleId: String
    public var path: String
    /// `CreateDate` as IAM formats it (`2024-01-02T03:04:05Z`).
    public var createDate: String
    /// The trust policy (`AssumeRolePolicyDocument`), as the JSON text given. Stored and answered;
    /// Portico has no `sts:AssumeRole`, so nothing evaluates it.
    public var assumeRolePolicyDocument: String
    public var description: String?
    /// `MaxSessionDuration` in seconds (IAM: 3600 to 43200, default 3600).
    public var maxSessionDuration: Int
    /// Inline policies (`PutRolePolicy`), by name, as the JSON text given.
    public var policies: [String: String]

    public init(
        roleName: String, roleId: String, path: String, createDate: String, assumeRolePolicyDocument: String,
        description: String? = nil, maxSessionDuration: Int = 3600
    ) {
        self.roleName = roleName
        self.roleId = roleId
        self.path = path
        self.createDate = createDate
        self.assumeRolePolicyDocument = assumeRolePolicyDocument
        self.description = description
        self.maxSessionDuration = maxSessionDuration
        self.policies = [:]
    }

    /// `arn:aws:iam::{account}:role{path}{name}`, as IAM builds it.
    public func arn(accountId: String) -> String {
        "arn:aws:iam::\(accountId):role\(path)\(roleName)"
    }
}

/// The checks IAM makes of a role's trust policy (`AssumeRolePolicyDocument`): a JSON policy whose
/// statements name a `Principal` and no `Resource`. The messages are IAM's `MalformedPolicyDocument` wordings.
public enum IamTrustPolicy {
    /// nil when `text` is acceptable, else the reason.
    public static func problem(_ text: String) -> String? {
        guard case .object(let document)? = JSONParser.parse(Array(text.utf8)) else { return "This policy contains invalid Json" }
        let statements: [JSONValue]
        switch document["Statement"] {
        case .array(let list)?: statements = list
        case .object?: statements = [document["Statement"]!]
        default: return "Syntax errors in policy."
        }
        for statement in statements {
            guard case .object(let members) = statement else { return "Syntax errors in policy." }
            if members["Resource"] != nil || members["NotResource"] != nil { return "Has prohibited field Resource" }
            if members["Principal"] == nil && members["NotPrincipal"] == nil { return "Missing required field Principal" }
            switch members["Effect"] {
            case .string("Allow")?, .string("Deny")?: break
            case nil: return "Missing required field Effect"
            default: return "Invalid effect: \(members["Effect"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "")"
            }
            if members["Action"] == nil && members["NotAction"] == nil { return "Missing required field Action" }
        }
        return nil
    }
}
