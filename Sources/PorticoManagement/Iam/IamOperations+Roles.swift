import Foundation
import PorticoModel
import PorticoStore

/// IAM roles: `CreateRole`, `GetRole`, `ListRoles`, `DeleteRole` and their inline policies
/// (`PutRolePolicy`, `GetRolePolicy`, `ListRolePolicies`, `DeleteRolePolicy`). Each operation is one
/// store transaction over one ``IamRoleDocument``; the answers and errors are IAM's (API reference,
/// "CreateRole" ... "DeleteRolePolicy").
///
/// A role is what a function's `Role` names: a local function process gets temporary credentials
/// acting as it, and the data plane evaluates its inline policies (docs/IAM_AUTH.md, "Roles").
extension IamOperations {
    static let roleActions: Set<String> = [
        "CreateRole", "GetRole", "ListRoles", "DeleteRole", "PutRolePolicy", "GetRolePolicy", "ListRolePolicies", "DeleteRolePolicy",
    ]

    func runRoleAction(_ action: String, _ p: Parameters, requestId: String) async throws -> String {
        switch action {
        case "CreateRole":
            let name = try p.roleName()
            let path = try p.path()
            let trust = try p.required("AssumeRolePolicyDocument")
            if let problem = IamTrustPolicy.problem(trust) { throw IamError.malformedPolicy(problem) }
            let description = p.values["Description"]
            if let description, description.count > 1000 {
                throw IamError.validation(
                    "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000")
            }
            let maxSession = try p.maxSessionDuration()
            let role = try await store.transaction { transaction in
                // IAM names are unique regardless of case.
                if try transaction.allIamRoles().contains(where: { $0.roleName.lowercased() == name.lowercased() }) {
                    throw IamError.roleExists(name)
                }
                let role = IamRoleDocument(
                    roleName: name, roleId: IamIdentifiers.make(prefix: "AROA", length: 21), path: path, createDate: Self.timestamp(now),
                    assumeRolePolicyDocument: trust, description: description, maxSessionDuration: maxSession)
                try transaction.putIamRole(role)
                return role
            }
            return IamXML.response(action: action, requestId: requestId) { xml in writeRole(role, element: "Role", into: &xml) }
        case "GetRole":
            let name = try p.roleName()
            let role = try await store.transaction { try Self.role(name, $0) }
            return IamXML.response(action: action, requestId: requestId) { xml in writeRole(role, element: "Role", into: &xml) }
        case "ListRoles":
            let prefix = p.values["PathPrefix"] ?? "/"
            let roles = try await store.transaction { try $0.allIamRoles() }.filter { $0.path.hasPrefix(prefix) }
            return IamXML.response(action: action, requestId: requestId) { xml in
                xml.open("Roles")
                for role in roles { writeRole(role, element: "member", into: &xml) }
                xml.close("Roles")
                xml.element("IsTruncated", "false")
            }
        case "DeleteRole":
            let name = try p.roleName()
            try await store.transaction { transaction in
                let role = try Self.role(name, transaction)
                // IAM refuses to delete a role that still has inline policies.
                if !role.policies.isEmpty { throw IamError.deleteConflict("policies") }
                try transaction.deleteIamRole(name: role.roleName)
            }
            return IamXML.response(action: action, requestId: requestId, result: nil)
        case "PutRolePolicy":
            let name = try p.roleName()
            let policyName = try p.policyName()
            let document = try p.policyDocument()
            try await store.transaction { transaction in
                var role = try Self.role(name, transaction)
                role.policies[policyName] = document
                try transaction.putIamRole(role)
            }
            return IamXML.response(action: action, requestId: requestId, result: nil)
        case "GetRolePolicy":
            let name = try p.roleName()
            let policyName = try p.policyName()
            let (roleName, document) = try await store.transaction { transaction in
                let role = try Self.role(name, transaction)
                guard let document = role.policies[policyName] else { throw IamError.noSuchRolePolicy(policyName) }
                return (role.roleName, document)
            }
            return IamXML.response(action: action, requestId: requestId) { xml in
                xml.element("RoleName", roleName)
                xml.element("PolicyName", policyName)
                // URL-encoded (RFC 3986), as IAM answers policy documents; the SDKs decode it.
                xml.element("PolicyDocument", Self.urlEncoded(document))
            }
        case "ListRolePolicies":
            let name = try p.roleName()
            let role = try await store.transaction { try Self.role(name, $0) }
            return IamXML.response(action: action, requestId: requestId) { xml in
                xml.open("PolicyNames")
                for policyName in role.policies.keys.sorted() { xml.element("member", policyName) }
                xml.close("PolicyNames")
                xml.element("IsTruncated", "false")
            }
        case "DeleteRolePolicy":
            let name = try p.roleName()
            let policyName = try p.policyName()
            try await store.transaction { transaction in
                var role = try Self.role(name, transaction)
                guard role.policies.removeValue(forKey: policyName) != nil else { throw IamError.noSuchRolePolicy(policyName) }
                try transaction.putIamRole(role)
            }
            return IamXML.response(action: action, requestId: requestId, result: nil)
        default:
            throw IamError.invalidAction(action)
        }
    }

    private func writeRole(_ role: IamRoleDocument, element: String, into xml: inout IamXML) {
        xml.open(element)
        xml.element("Path", role.path)
        xml.element("RoleName", role.roleName)
        xml.element("RoleId", role.roleId)
        xml.element("Arn", role.arn(accountId: accountId))
        xml.element("CreateDate", role.createDate)
        xml.element("AssumeRolePolicyDocument", Self.urlEncoded(role.assumeRolePolicyDocument))
        if let description = role.description { xml.element("Description", description) }
        xml.element("MaxSessionDuration", String(role.maxSessionDuration))
        xml.close(element)
    }

    static func urlEncoded(_ document: String) -> String {
        document.addingPercentEncoding(withAllowedCharacters: unreserved) ?? document
    }

    /// The role named `name`, matched regardless of case as IAM matches names.
    private static func role(_ name: String, _ transaction: any StoreTransaction) throws -> IamRoleDocument {
        if let role = try transaction.iamRole(name: name) { return role }
        if let role = try transaction.allIamRoles().first(where: { $0.roleName.lowercased() == name.lowercased() }) { return role }
        throw IamError.noSuchRole(name)
    }
}

extension IamOperations.Parameters {
    /// `RoleName`: required, 1 to 64 characters of `[\w+=,.@-]`.
    func roleName() throws(IamError) -> String {
        let name = try required("RoleName")
        try Self.check(name, member: "roleName", maxLength: 64)
        return name
    }

    /// `MaxSessionDuration`: 3600 (the default) to 43200 seconds.
    func maxSessionDuration() throws(IamError) -> Int {
        guard let raw = values["MaxSessionDuration"] else { return 3600 }
        guard let seconds = Int(raw) else {
            throw .validation("1 validation error detected: Value '\(raw)' at 'maxSessionDuration' failed to satisfy constraint: Member must be a number")
        }
        if seconds < 3600 {
            throw .validation(
                "1 validation error detected: Value '\(seconds)' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600")
        }
        if seconds > 43200 {
            throw .validation(
                "1 validation error detected: Value '\(seconds)' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200")
        }
        return seconds
    }
}
