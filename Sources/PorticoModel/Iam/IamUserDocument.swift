/// One IAM user that Portico manages (`aws iam create-user` on the management listener), with its
/// access keys and its inline identity policies. Read and written as one unit, like
/// ``LambdaFunctionDocument``: every IAM operation is one transaction over one user document.
///
/// The secret access keys are kept here because SigV4 verification needs them (an HMAC key);
/// AWS returns a secret once, at `CreateAccessKey`, and so does Portico: no other operation and no
/// log line shows it. The store file must therefore be protected like a credentials file.
public struct IamUserDocument: Codable, Sendable, Equatable {
    public var userName: String
    /// IAM's `UserId`: `AIDA` and 17 upper-case letters and digits.
    public var userId: String
    public var path: String
    /// `CreateDate` as IAM formats it (`2024-01-02T03:04:05Z`).
    public var createDate: String
    public var accessKeys: [IamAccessKey]
    /// Inline policies (`PutUserPolicy`), by name, as the JSON text given.
    public var policies: [String: String]

    public init(userName: String, userId: String, path: String, createDate: String) {
        self.userName = userName
        self.userId = userId
        self.path = path
        self.createDate = createDate
        self.accessKeys = []
        self.policies = [:]
    }

    /// `arn:aws:iam::{account}:user{path}{name}`, as IAM builds it.
    public func arn(accountId: String) -> String {
        "arn:aws:iam::\(accountId):user\(path)\(userName)"
    }
}

/// An access key of an ``IamUserDocument``.
public struct IamAccessKey: Codable, Sendable, Equatable {
    /// `AKIA` and 16 upper-case letters and digits.
    public var accessKeyId: String
    public var secretAccessKey: String
    /// `Active` or `Inactive`: an inactive key signs nothing (AWS: "The security token included in
    /// the request is invalid.").
    public var status: String
    public var createDate: String

    public init(accessKeyId: String, secretAccessKey: String, status: String, createDate: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.status = status
        self.createDate = createDate
    }
}

extension IamAccessKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Never shows the secret, so a key can be logged or dumped safely.
    public var description: String { "IamAccessKey(\(accessKeyId), \(status))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyId": accessKeyId, "status": status, "createDate": createDate], displayStyle: .struct)
    }
}
