import GRDB
import PorticoModel

/// IAM users (with their access keys and inline policies), one JSON document each in `iam_users`.
extension SQLiteTransaction {
    func iamUser(name: String) throws -> IamUserDocument? {
        try JSONTable.iamUsers.read(IamUserDocument.self, keys: [name], in: db)
    }

    func allIamUsers() throws -> [IamUserDocument] {
        try JSONTable.iamUsers.readAll(IamUserDocument.self, in: db)
    }

    func putIamUser(_ user: IamUserDocument) throws {
        try JSONTable.iamUsers.write(user, keys: [user.userName], in: db)
        touchedIamUsers = true
    }

    func deleteIamUser(name: String) throws {
        try JSONTable.iamUsers.delete(keys: [name], in: db)
        touchedIamUsers = true
    }
}

/// IAM roles (with their trust policy and inline policies), one JSON document each in `iam_roles`.
/// A role change announces itself as an IAM change, like a user's.
extension SQLiteTransaction {
    func iamRole(name: String) throws -> IamRoleDocument? {
        try JSONTable.iamRoles.read(IamRoleDocument.self, keys: [name], in: db)
    }

    func allIamRoles() throws -> [IamRoleDocument] {
        try JSONTable.iamRoles.readAll(IamRoleDocument.self, in: db)
    }

    func putIamRole(_ role: IamRoleDocument) throws {
        try JSONTable.iamRoles.write(role, keys: [role.roleName], in: db)
        touchedIamUsers = true
    }

    func deleteIamRole(name: String) throws {
        try JSONTable.iamRoles.delete(keys: [name], in: db)
        touchedIamUsers = true
    }
}
