/// An IAM policy document as API Gateway evaluates it for `execute-api:Invoke`: a user's identity
/// policy (`PutUserPolicy`) or a REST API's resource policy (`policy`, `x-amazon-apigateway-policy`).
///
/// Evaluation follows IAM's rules: a statement applies when its principal, action, resource and
/// every condition match; an applicable Deny wins over everything ("explicit deny"), then any
/// applicable Allow; otherwise the request is implicitly denied.
///
/// Conditions: `aws:SourceIp` with `IpAddress` and `NotIpAddress` (and their `...IfExists`
/// forms) is evaluated. Every other condition key is absent from Portico's request context, and is
/// treated as IAM treats an absent key: a positive operator (`StringEquals`, `IpAddress`, ...) is
/// false, a negated one (`StringNotEquals`, `NotIpAddress`, ...) and any `...IfExists` operator is
/// true, `Null: true` is true. So a statement that needs a key Portico does not know never allows,
/// and a `Deny` keyed on "not from this VPC endpoint" denies, as it would on AWS off that endpoint.
public struct IamPolicy: Sendable, Equatable {
    public enum Decision: Sendable, Equatable {
        case allow
        case explicitDeny
        case implicitDeny
    }

    /// Who a resource policy's statement is about.
    public enum Principal: Sendable, Equatable {
        /// `"*"` or `{"AWS": "*"}`: anyone, signed or not.
        case anyone
        /// `{"AWS": [...]}`: IAM users' ARNs, account ids or account root ARNs.
        case aws([String])
        /// Service or federated principals: never an API caller here.
        case other
    }

    public struct Condition: Sendable, Equatable {
        public var operatorName: String
        public var key: String
        public var values: [String]
    }

    public struct Statement: Sendable, Equatable {
        public var allow: Bool
        /// nil in identity policies (they have none).
        public var principal: Principal?
        public var notPrincipal: Bool
        public var actions: [String]
        public var actionsNegated: Bool
        public var resources: [String]
        public var resourcesNegated: Bool
        public var conditions: [Condition]
    }

    /// Who is asking: the IAM user that signed the request, or nobody (`anonymous`).
    public struct Caller: Sendable, Equatable {
        public var userArn: String
        public var accountId: String

        public init(userArn: String, accountId: String) {
            self.userArn = userArn
            self.accountId = accountId
        }
    }

    public var statements: [Statement]

    public init(statements: [Statement]) {
        self.statements = statements
    }

    /// One statement denying every action on every resource to anyone (fail closed).
    public static let denyEverything = IamPolicy(statements: [
        Statement(
            allow: false, principal: .anyone, notPrincipal: false, actions: ["*"], actionsNegated: false, resources: ["*"],
            resourcesNegated: false, conditions: [])
    ])

    // MARK: evaluation

    /// IAM's decision for `action` on `resource`, asked by `caller` (nil: anonymous) from
    /// `sourceIp` (``IPAddressBlock/parseAddress(_:)`` bytes; nil when unknown).
    public func decision(action: String, resource: String, caller: Caller?, sourceIp: [UInt8]?) -> Decision {
        var allowed = false
        for statement in statements where statement.applies(action: action, resource: resource, caller: caller, sourceIp: sourceIp) {
            if !statement.allow { return .explicitDeny }
            allowed = true
        }
        return allowed ? .allow : .implicitDeny
    }

    /// Whether any condition reads `aws:SourceIp` (the data plane parses the client address only then).
    public var readsSourceIp: Bool {
        statements.contains { $0.conditions.contains { $0.key.lowercased() == "aws:sourceip" } }
    }

    /// API Gateway's shorthand resource `execute-api:/{stage}/{METHOD}/{path}` (resource policies
    /// only) made a full ARN: `{arnPrefix}/{stage}/...`, with `arnPrefix` =
    /// `arn:aws:execute-api:{region}:{account}:{apiId}`. AWS expands it the same way when it stores
    /// the policy.
    public func expandingExecuteApiShorthand(arnPrefix: String) -> IamPolicy {
        var copy = self
        for index in copy.statements.indices {
            copy.statements[index].resources = copy.statements[index].resources.map { resource in
                resource.hasPrefix("execute-api:/") ? arnPrefix + resource.dropFirst("execute-api:".count) : resource
            }
        }
        return copy
    }

    // MARK: parsing

    public struct Malformed: Error, Sendable, Equatable {
        public let reason: String
    }

    /// Reads a policy document. `resourcePolicy` says whether statements name a `Principal` (a
    /// resource policy must, an identity policy must not, as IAM insists).
    public static func parse(_ text: String, resourcePolicy: Bool) -> Result<IamPolicy, Malformed> {
        guard case .object(let document) = JSONParser.parse(Array(text.utf8)) else {
            return .failure(.init(reason: "Syntax errors in policy."))
        }
        if let version = document["Version"] {
            guard case .string(let text) = version, text == "2012-10-17" || text == "2008-10-17" else {
                return .failure(.init(reason: "The policy failed legacy parsing"))
            }
        }
        let entries: [JSONValue]
        switch document["Statement"] {
        case .array(let list): entries = list
        case .object(let single): entries = [.object(single)]
        default: return .failure(.init(reason: "Syntax errors in policy."))
        }
        var statements: [Statement] = []
        for entry in entries {
            guard case .object(let members) = entry else { return .failure(.init(reason: "Syntax errors in policy.")) }
            switch parseStatement(members, resourcePolicy: resourcePolicy) {
            case .success(let statement): statements.append(statement)
            case .failure(let error): return .failure(error)
            }
        }
        return .success(IamPolicy(statements: statements))
    }

    private static func parseStatement(_ members: [String: JSONValue], resourcePolicy: Bool) -> Result<Statement, Malformed> {
        let allow: Bool
        switch members["Effect"] {
        case .string("Allow"): allow = true
        case .string("Deny"): allow = false
        case nil: return .failure(.init(reason: "Missing required field Effect"))
        default: return .failure(.init(reason: "Invalid effect: \(members["Effect"].flatMap(stringValue) ?? "")"))
        }
        let actions = strings(members["Action"])
        let notActions = strings(members["NotAction"])
        guard (actions == nil) != (notActions == nil) else {
            return .failure(.init(reason: "Policy statement must contain actions."))
        }
        let resources = strings(members["Resource"])
        let notResources = strings(members["NotResource"])
        guard (resources == nil) != (notResources == nil) else {
            return .failure(.init(reason: "Policy statement must contain resources."))
        }
        var principal: Principal?
        let principalValue = members["Principal"] ?? members["NotPrincipal"]
        if let principalValue {
            guard resourcePolicy else { return .failure(.init(reason: "Policy document should not specify a principal.")) }
            guard let parsed = parsePrincipal(principalValue) else { return .failure(.init(reason: "Invalid principal in policy")) }
            principal = parsed
        } else if resourcePolicy {
            return .failure(.init(reason: "Statement is missing required element Principal"))
        }
        var conditions: [Condition] = []
        if let condition = members["Condition"] {
            guard case .object(let operators) = condition else { return .failure(.init(reason: "Syntax errors in policy.")) }
            for (name, body) in operators.sorted(by: { $0.key < $1.key }) {
                guard case .object(let keys) = body else { return .failure(.init(reason: "Syntax errors in policy.")) }
                for (key, value) in keys.sorted(by: { $0.key < $1.key }) {
                    guard let values = strings(value, allowScalars: true) else { return .failure(.init(reason: "Syntax errors in policy.")) }
                    if key.lowercased() == "aws:sourceip", name.hasPrefix("IpAddress") || name.hasPrefix("NotIpAddress") {
                        // IAM refuses a block it cannot read when the policy is saved.
                        for block in values where IPAddressBlock(block) == nil {
                            return .failure(.init(reason: "Invalid IP address or CIDR block: \(block)"))
                        }
                    }
                    conditions.append(Condition(operatorName: name, key: key, values: values))
                }
            }
        }
        return .success(
            Statement(
                allow: allow, principal: principal, notPrincipal: members["NotPrincipal"] != nil && members["Principal"] == nil,
                actions: actions ?? notActions ?? [], actionsNegated: actions == nil, resources: resources ?? notResources ?? [],
                resourcesNegated: resources == nil, conditions: conditions))
    }

    private static func parsePrincipal(_ value: JSONValue) -> Principal? {
        switch value {
        case .string("*"): return .anyone
        case .object(let members):
            guard let aws = members["AWS"] else { return members.isEmpty ? nil : .other }
            guard let list = strings(aws) else { return nil }
            return list.contains("*") ? .anyone : .aws(list)
        default: return nil
        }
    }

    private static func stringValue(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .bool(let flag): return String(flag)
        default: return nil
        }
    }

    private static func strings(_ value: JSONValue?, allowScalars: Bool = false) -> [String]? {
        switch value {
        case .string(let text): return [text]
        case .integer, .bool: return allowScalars ? value.flatMap(stringValue).map { [$0] } : nil
        case .array(let list):
            var result: [String] = []
            for item in list {
                guard let text = allowScalars ? stringValue(item) : (item.stringOrNil) else { return nil }
                result.append(text)
            }
            return result
        default: return nil
        }
    }
}

extension JSONValue {
    fileprivate var stringOrNil: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

extension IamPolicy.Statement {
    func applies(action: String, resource: String, caller: IamPolicy.Caller?, sourceIp: [UInt8]?) -> Bool {
        if let principal {
            let matched = Self.matches(principal, caller)
            if matched == notPrincipal { return false }
        }
        let actionMatched = actions.contains { IamWildcard.matches($0, action) }
        guard actionMatched != actionsNegated else { return false }
        let resourceMatched = resources.contains { IamWildcard.matches($0, resource) }
        guard resourceMatched != resourcesNegated else { return false }
        return conditions.allSatisfy { $0.holds(sourceIp: sourceIp) }
    }

    private static func matches(_ principal: IamPolicy.Principal, _ caller: IamPolicy.Caller?) -> Bool {
        switch principal {
        case .anyone: return true
        case .other: return false
        case .aws(let names):
            guard let caller else { return false }
            return names.contains { name in
                name == caller.userArn || name == caller.accountId || name == "arn:aws:iam::\(caller.accountId):root"
                    || (name.contains("*") && IamWildcard.matches(name, caller.userArn))
            }
        }
    }
}

extension IamPolicy.Condition {
    /// IAM's condition evaluation for the keys Portico knows (`aws:SourceIp`); an absent key
    /// makes a positive operator false and a negated or `IfExists` operator true.
    func holds(sourceIp: [UInt8]?) -> Bool {
        let ifExists = operatorName.hasSuffix("IfExists")
        let base = ifExists ? String(operatorName.dropLast("IfExists".count)) : operatorName
        if base == "Null" {
            let sourceIpAbsent = key.lowercased() != "aws:sourceip" || sourceIp == nil
            return values.contains { $0.lowercased() == String(sourceIpAbsent) }
        }
        guard key.lowercased() == "aws:sourceip", let sourceIp else {
            return ifExists || base.hasPrefix("Not") || base.contains("Not")
        }
        switch base {
        case "IpAddress":
            return values.contains { IPAddressBlock($0)?.contains(sourceIp) == true }
        case "NotIpAddress":
            return !values.contains { IPAddressBlock($0)?.contains(sourceIp) == true }
        default:
            // Another operator on aws:SourceIp (e.g. StringEquals) is a type mismatch in IAM: false.
            return false
        }
    }
}
