public import PorticoModel

/// A REST API's resource policy as deployed, and how its decision combines with the method's
/// authorization, per AWS's "How API Gateway resource policies affect authorization workflow"
/// (caller and API in the same account, which is always so in Portico):
///
/// | authorization | identity / authorizer | resource policy | outcome |
/// |---|---|---|---|
/// | `NONE` | — | Allow | allow |
/// | `NONE` | — | neither | implicit deny |
/// | `NONE` | — | Deny | explicit deny |
/// | `AWS_IAM` | Deny | any | explicit deny |
/// | `AWS_IAM` | any | Deny | explicit deny |
/// | `AWS_IAM` | Allow | Allow or neither | allow |
/// | `AWS_IAM` | neither | Allow | allow |
/// | `AWS_IAM` | neither | neither | implicit deny |
///
/// With a Lambda or Cognito authorizer the resource policy is checked for an explicit deny before
/// the authorizer runs (AWS's first phase); the caller is anonymous in both phases, so the second
/// phase cannot decide differently.
public struct RestResourcePolicy: Sendable {
    public let policy: IamPolicy
    /// Whether a condition reads `aws:SourceIp`: only then is the client address parsed.
    public let readsSourceIp: Bool

    public init(policy: IamPolicy) {
        self.policy = policy
        self.readsSourceIp = policy.readsSourceIp
    }

    public static let invoke = "execute-api:Invoke"

    public func decision(methodArn: String, caller: IamPolicy.Caller?, sourceIp: [UInt8]?) -> IamPolicy.Decision {
        policy.decision(action: Self.invoke, resource: methodArn, caller: caller, sourceIp: sourceIp)
    }

    /// The table above. `identity` is nil for `NONE`; `resource` is nil without a resource policy.
    public static func combine(identity: IamPolicy.Decision?, resource: IamPolicy.Decision?) -> IamPolicy.Decision {
        guard let identity else { return resource ?? .allow }
        if identity == .explicitDeny || resource == .explicitDeny { return .explicitDeny }
        if identity == .allow || resource == .allow { return .allow }
        return .implicitDeny
    }
}
