public import PorticoModel

/// What a REST Lambda authorizer answers (AWS: "Output from an API Gateway Lambda authorizer"):
/// `principalId`, an IAM `policyDocument` whose statements allow or deny `execute-api:Invoke` on
/// method ARNs, an optional `context` of string, number and boolean values, and an optional
/// `usageIdentifierKey`. Parsed once per authorizer call; evaluated for every request the cached
/// result serves, against that request's method ARN.
///
/// Statements may use IAM's `NotAction` and `NotResource` instead of `Action` and `Resource`
/// (AWS's own authorizer types carry them, e.g. `APIGatewayCustomAuthorizerPolicy` in
/// aws-lambda-dotnet, for "Deny everything except these methods" policies that cache well).
public struct AuthorizerPolicy: Sendable, Equatable {
    public struct Statement: Sendable, Equatable {
        public var allow: Bool
        /// The `Action` patterns, or with `notAction` the `NotAction` patterns.
        public var actions: [String]
        public var resources: [String]
        /// The statement names the actions it does *not* apply to (`NotAction`).
        public var notAction: Bool
        /// The statement names the resources it does *not* apply to (`NotResource`).
        public var notResource: Bool

        public init(allow: Bool, actions: [String], resources: [String], notAction: Bool = false, notResource: Bool = false) {
            self.allow = allow
            self.actions = actions
            self.resources = resources
            self.notAction = notAction
            self.notResource = notResource
        }

        /// IAM's rule for one statement: it applies when the action is (or with `NotAction`, is
        /// not) one it lists, and the resource is (or with `NotResource`, is not) one it lists.
        func applies(action: String, resource: String) -> Bool {
            actions.contains(where: { AuthorizerPolicy.matches($0, action) }) != notAction
                && resources.contains(where: { AuthorizerPolicy.matches($0, resource) }) != notResource
        }
    }

    public enum Decision: Sendable, Equatable {
        case allow
        /// A statement denies the ARN: AWS answers 403 whatever else allows it.
        case explicitDeny
        /// No statement allows the ARN.
        case implicitDeny
    }

    public struct Malformed: Error, Sendable, Equatable {
        public let reason: String
    }

    public var principalId: String
    public var statements: [Statement]
    /// `$context.authorizer.<key>` values, each a string, number or boolean.
    public var context: [String: JSONValue]
    public var usageIdentifierKey: String?

    public init(principalId: String, statements: [Statement], context: [String: JSONValue] = [:], usageIdentifierKey: String? = nil) {
        self.principalId = principalId
        self.statements = statements
        self.context = context
        self.usageIdentifierKey = usageIdentifierKey
    }

    /// Reads the function's output. AWS answers 500 (AUTHORIZER_CONFIGURATION_ERROR) when it is
    /// not this shape: no `principalId`, no `policyDocument`, a statement without a valid
    /// `Effect`, without exactly one of `Action`/`NotAction` or of `Resource`/`NotResource`, or a
    /// `context` value that is an object or an array.
    public static func parse(_ output: JSONValue?) -> Result<AuthorizerPolicy, Malformed> {
        guard case .object(let members) = output else { return .failure(.init(reason: "the output is not a JSON object")) }
        let principalId: String
        switch members["principalId"] {
        case .string(let text): principalId = text
        case .integer(let number): principalId = String(number)
        default: return .failure(.init(reason: "principalId is missing or not a string"))
        }
        guard case .object(let document) = members["policyDocument"] else {
            return .failure(.init(reason: "policyDocument is missing or not an object"))
        }
        let entries: [JSONValue]
        switch document["Statement"] {
        case .array(let list): entries = list
        case .object(let single): entries = [.object(single)]
        default: return .failure(.init(reason: "policyDocument.Statement is missing"))
        }
        var statements: [Statement] = []
        for entry in entries {
            guard case .object(let statement) = entry else { return .failure(.init(reason: "a statement is not an object")) }
            let allow: Bool
            switch statement["Effect"] {
            case .string("Allow"): allow = true
            case .string("Deny"): allow = false
            default: return .failure(.init(reason: "a statement's Effect is neither Allow nor Deny"))
            }
            // IAM refuses a statement with both elements of a pair (or neither); so does Portico.
            // (Guess: AWS's answer to such an authorizer output is not documented; a policy IAM
            // would not accept is treated like any other malformed output, 500.)
            guard let (actions, notAction) = either(statement, "Action", "NotAction"),
                let (resources, notResource) = either(statement, "Resource", "NotResource")
            else {
                return .failure(.init(reason: "a statement needs exactly one of Action and NotAction, and of Resource and NotResource"))
            }
            statements.append(Statement(allow: allow, actions: actions, resources: resources, notAction: notAction, notResource: notResource))
        }
        var context: [String: JSONValue] = [:]
        switch members["context"] {
        case nil, .null: break
        case .object(let values):
            for (key, value) in values {
                switch value {
                case .string, .integer, .number, .bool: context[key] = value
                case .null: continue
                default: return .failure(.init(reason: "context.\(key) is not a string, number or boolean"))
                }
            }
        default: return .failure(.init(reason: "context is not an object"))
        }
        var usageKey: String?
        if case .string(let key) = members["usageIdentifierKey"] { usageKey = key }
        return .success(AuthorizerPolicy(principalId: principalId, statements: statements, context: context, usageIdentifierKey: usageKey))
    }

    /// IAM's rule: an explicit Deny wins, then any Allow, else the request is implicitly denied.
    public func decision(methodArn: String) -> Decision {
        var allowed = false
        for statement in statements where statement.applies(action: "execute-api:Invoke", resource: methodArn) {
            if !statement.allow { return .explicitDeny }
            allowed = true
        }
        return allowed ? .allow : .implicitDeny
    }

    /// IAM wildcard matching (``IamWildcard``), shared with identity and resource policies.
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        IamWildcard.matches(pattern, text)
    }

    /// The patterns of `element` (and false) or of `notElement` (and true); nil when the statement
    /// has both, neither, or a value that is not a non-empty string or list of strings.
    private static func either(_ statement: [String: JSONValue], _ element: String, _ notElement: String) -> ([String], Bool)? {
        switch (statement[element], statement[notElement]) {
        case (let value?, nil): return strings(value).map { ($0, false) }
        case (nil, let value?): return strings(value).map { ($0, true) }
        default: return nil
        }
    }

    private static func strings(_ value: JSONValue?) -> [String]? {
        switch value {
        case .string(let text): return [text]
        case .array(let list):
            var result: [String] = []
            for item in list {
                guard case .string(let text) = item else { return nil }
                result.append(text)
            }
            return result.isEmpty ? nil : result
        default: return nil
        }
    }
}
