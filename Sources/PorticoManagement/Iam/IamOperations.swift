import Foundation
import PorticoModel
import PorticoStore

/// The subset of IAM that Portico serves so that `aws iam --endpoint-url ...` and boto3's `iam`
/// client can manage the credentials the data plane verifies for `AWS_IAM` methods and routes:
/// users, their access keys (Active/Inactive) and their inline policies. Each operation is one
/// store transaction over one ``IamUserDocument``.
///
/// A secret access key appears in exactly one answer, CreateAccessKey's, as on AWS.
struct IamOperations: Sendable {
    let store: any Store
    let accountId: String
    let now: Date

    static let actions: Set<String> = Set([
        "CreateUser", "GetUser", "ListUsers", "DeleteUser", "CreateAccessKey", "ListAccessKeys", "UpdateAccessKey",
        "DeleteAccessKey", "PutUserPolicy", "GetUserPolicy", "ListUserPolicies", "DeleteUserPolicy",
    ]).union(roleActions)

    /// Runs `action` and answers its XML body.
    func run(_ action: String, _ parameters: [String: String], requestId: String) async throws -> String {
        let p = Parameters(values: parameters)
        switch action {
        case "CreateUser":
            let name = try p.userName()
            let path = try p.path()
            let user = try await store.transaction { transaction in
                // IAM names are unique regardless of case.
                if try transaction.allIamUsers().contains(where: { $0.userName.lowercased() == name.lowercased() }) {
                    throw IamError.userExists(name)
                }
                let user = IamUserDocument(
                    userName: name, userId: IamIdentifiers.make(prefix: "AIDA", length: 21), path: path, createDate: Self.timestamp(now))
                try transaction.putIamUser(user)
                return user
            }
            return IamXML.response(action: action, requestId: requestId) { xml in writeUser(user, into: &xml) }
        case "GetUser":
            let name = try p.userName(required: true)
            let user = try await store.transaction { try Self.user(name, $0) }
            return IamXML.response(action: action, requestId: requestId) { xml in writeUser(user, into: &xml) }
        case "ListUsers":
            let prefix = p.values["PathPrefix"] ?? "/"
            let users = try await store.transaction { try $0.allIamUsers() }.filter { $0.path.hasPrefix(prefix) }
            return IamXML.response(action: action, requestId: requestId) { xml in
                xml.open("Users")
                for user in users {
                    xml.open("member")
                    writeUserMembers(user, into: &xml)
                    xml.close("member")
                }
                xml.close("Users")
                xml.element("IsTruncated", "false")
            }
        case "DeleteUser":
            let name = try p.userName(required: true)
            try await store.transaction { transaction in
                let user = try Self.user(name, transaction)
                // IAM refuses to delete a user that still has keys or inline policies.
                if !user.accessKeys.isEmpty { throw IamError.deleteConflict("access keys") }
                if !user.policies.isEmpty { throw IamError.deleteConflict("policies") }
                try transaction.deleteIamUser(name: user.userName)
            }
            return IamXML.response(action: action, requestId: requestId, result: nil)
        case "CreateAccessKey":
            let name = try p.userName(required: true)
            let key = try await store.transaction { transaction in
                var user = try Self.user(name, transaction)
                guard user.accessKeys.count < 2 else { throw IamError.accessKeyQuota }
                let key = IamAccessKey(
                    accessKeyId: IamIdentifiers.make(prefix: "AKIA", length: 20), secretAccessKey: IamIdentifiers.secret(),
                    status: "Active", createDate: Self.timestamp(now))
                user.accessKeys.append(key)
                try transaction.putIamUser(user)
                return (user.userName, key)
            }
            return IamXML.response(action: action, requestId: requestId) { xml in
                xml.open("AccessKey")
                xml.element("UserName", key.0)
                xml.element("AccessKeyId", key.1.accessKeyId)
                xml.element("Status", key.1.status)
                xml.element("SecretAccessKey", key.1.secretAccessKey)
                xml.element("CreateDate", key.1.createDate)
                xml.close("AccessKey")
            }
        case "ListAccessKeys":
            let name = try p.userName(required: true)
            let user = try await store.transaction { try Self.user(name, $0) }
            return IamXML.response(action: action, requestId: requestId) { xml in
                xml.open("AccessKeyMetadata")
                for key in user.accessKeys {
                    xml.open("member")
                    xml.element("UserName", user.userName)
                    xml.element("AccessKeyId", key.accessKeyId)
                    xml.element("Status", key.status)
                    xml.element("CreateDate", key.createDate)
                    xml.close("member")
                }
                xml.close("AccessKeyMetadata")
                xml.element("IsTruncated", "false")
            }
        case "UpdateAccessKey":
            let name = try p.userName(required: true)
            let keyId = try p.required("AccessKeyId")
            let status = try p.required("Status")
            guard status == "Active" || status == "Inactive" else {
                throw IamError.validation(
                    "1 validation error detected: Value '\(status)' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]"
                )
            }
            try await store.transaction { transaction in
                var user = try Self.user(name, transaction)
                guard let index = user.accessKeys.firstIndex(where: { $0.accessKeyId == keyId }) else { throw IamError.noSuchAccessKey(keyId) }
                user.accessKeys[index].status = status
                try transaction.putIamUser(user)
            }
            return IamXML.response(action: action, requestId: requestId, result: nil)
        case "DeleteAccessKey":
            let name = try p.userName(required: true)
            let keyId = try p.required("AccessKeyId")
            try await store.transaction { transaction in
                var user = try Self.user(name, transaction)
                guard let index = user.accessKeys.firstIndex(where: { $0.accessKeyId == keyId }) else { throw IamError.noSuchAccessKey(keyId) }
                user.accessKeys.remove(at: index)
                try transaction.putIamUser(user)
            }
            return IamXML.response(action: action, requestId: requestId, result: nil)
        case "PutUserPolicy":
            let name = try p.userName(required: true)
            let policyName = try p.policyName()
            let document = try p.policyDocument()
            try await store.transaction { transaction in
                var user = try Self.user(name, transaction)
                user.policies[policyName] = document
                try transaction.putIamUser(user)
            }
            return IamXML.response(action: action, requestId: requestId, result: nil)
        case "GetUserPolicy":
            let name = try p.userName(required: true)
            let policyName = try p.policyName()
            let (user, document) = try await store.transaction { transaction in
                let user = try Self.user(name, transaction)
                guard let document = user.policies[policyName] else { throw IamError.noSuchUserPolicy(policyName) }
                return (user.userName, document)
            }
            return IamXML.response(action: action, requestId: requestId) { xml in
                xml.element("UserName", user)
                xml.element("PolicyName", policyName)
                // IAM answers the document URL-encoded (RFC 3986); the SDKs decode it.
                xml.element("PolicyDocument", document.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? document)
            }
        case "ListUserPolicies":
            let name = try p.userName(required: true)
            let user = try await store.transaction { try Self.user(name, $0) }
            return IamXML.response(action: action, requestId: requestId) { xml in
                xml.open("PolicyNames")
                for policyName in user.policies.keys.sorted() { xml.element("member", policyName) }
                xml.close("PolicyNames")
                xml.element("IsTruncated", "false")
            }
        case "DeleteUserPolicy":
            let name = try p.userName(required: true)
            let policyName = try p.policyName()
            try await store.transaction { transaction in
                var user = try Self.user(name, transaction)
                guard user.policies.removeValue(forKey: policyName) != nil else { throw IamError.noSuchUserPolicy(policyName) }
                try transaction.putIamUser(user)
            }
            return IamXML.response(action: action, requestId: requestId, result: nil)
        default:
            if Self.roleActions.contains(action) { return try await runRoleAction(action, p, requestId: requestId) }
            throw IamError.invalidAction(action)
        }
    }

    private func writeUser(_ user: IamUserDocument, into xml: inout IamXML) {
        xml.open("User")
        writeUserMembers(user, into: &xml)
        xml.close("User")
    }

    private func writeUserMembers(_ user: IamUserDocument, into xml: inout IamXML) {
        xml.element("Path", user.path)
        xml.element("UserName", user.userName)
        xml.element("UserId", user.userId)
        xml.element("Arn", user.arn(accountId: accountId))
        xml.element("CreateDate", user.createDate)
    }

    /// The user named `name`, matched regardless of case as IAM matches names.
    private static func user(_ name: String, _ transaction: any StoreTransaction) throws -> IamUserDocument {
        if let user = try transaction.iamUser(name: name) { return user }
        if let user = try transaction.allIamUsers().first(where: { $0.userName.lowercased() == name.lowercased() }) { return user }
        throw IamError.noSuchUser(name)
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// The form parameters, with IAM's validation of the common ones.
    struct Parameters {
        let values: [String: String]

        func required(_ name: String) throws(IamError) -> String {
            guard let value = values[name] else { throw .missing(name) }
            return value
        }

        /// `UserName`: 1 to 64 characters of `[\w+=,.@-]`. Without it IAM acts on the calling
        /// user; Portico's management credentials are no IAM user, so it is required here.
        func userName(required: Bool = true) throws(IamError) -> String {
            guard let name = values["UserName"] else {
                throw .validation("Must specify userName when calling with non-User credentials")
            }
            try Self.check(name, member: "userName", maxLength: 64)
            return name
        }

        /// `PolicyDocument`: an identity policy that parses (else `MalformedPolicyDocument`), kept as sent.
        func policyDocument() throws(IamError) -> String {
            let document = try required("PolicyDocument")
            if case .failure(let malformed) = IamPolicy.parse(document, resourcePolicy: false) {
                throw IamError.malformedPolicy(malformed.reason)
            }
            return document
        }

        func policyName() throws(IamError) -> String {
            let name = try required("PolicyName")
            try Self.check(name, member: "policyName", maxLength: 128)
            return name
        }

        /// `Path`: `/` by default; else it starts and ends with `/` (IAM's pattern).
        func path() throws(IamError) -> String {
            guard let path = values["Path"] else { return "/" }
            guard path.hasPrefix("/"), path.hasSuffix("/"), path.utf8.count <= 512,
                path.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
            else {
                throw .validation(
                    "1 validation error detected: Value '\(path)' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"
                )
            }
            return path
        }

        static func check(_ value: String, member: String, maxLength: Int) throws(IamError) {
            let allowed = value.unicodeScalars.allSatisfy { scalar in
                (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_+=,.@-".unicodeScalars.contains(scalar))
                    && scalar.isASCII
            }
            if value.isEmpty || value.count > maxLength {
                throw .validation(
                    "1 validation error detected: Value '\(value)' at '\(member)' failed to satisfy constraint: Member must have length less than or equal to \(maxLength)"
                )
            }
            if !allowed {
                throw .validation(
                    "1 validation error detected: Value '\(value)' at '\(member)' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
                )
            }
        }
    }
}

/// IAM's identifiers: `AIDA...` user ids and `AKIA...` access key ids (upper-case letters and
/// digits), and 40-character secret access keys.
enum IamIdentifiers {
    private static let upperAlphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    private static let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    static func make(prefix: String, length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + String((prefix.count..<length).map { _ in upperAlphanumerics.randomElement(using: &generator)! })
    }

    static func secret() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<40).map { _ in secretAlphabet.randomElement(using: &generator)! })
    }
}
