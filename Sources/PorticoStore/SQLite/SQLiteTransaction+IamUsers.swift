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
