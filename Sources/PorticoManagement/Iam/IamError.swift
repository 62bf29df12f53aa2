/// An IAM error as IAM's Query protocol answers it: an HTTP status and an XML
/// `<ErrorResponse><Error><Type>Sender</Type><Code>...</Code><Message>...</Message></Error>...`.
/// The codes and wordings are IAM's (its API reference's "Errors" sections and recorded answers).
struct IamError: Error, Sendable, Equatable {
    var status: Int
    var code: String
    var message: String

    static func noSuchUser(_ name: String) -> IamError {
        IamError(status: 404, code: "NoSuchEntity", message: "The user with name \(name) cannot be found.")
    }

    static func noSuchAccessKey(_ id: String) -> IamError {
        IamError(status: 404, code: "NoSuchEntity", message: "The Access Key with id \(id) cannot be found.")
    }

    static func noSuchUserPolicy(_ name: String) -> IamError {
        IamError(status: 404, code: "NoSuchEntity", message: "The user policy with name \(name) cannot be found.")
    }

    static func noSuchRole(_ name: String) -> IamError {
        IamError(status: 404, code: "NoSuchEntity", message: "The role with name \(name) cannot be found.")
    }

    static func noSuchRolePolicy(_ name: String) -> IamError {
        IamError(status: 404, code: "NoSuchEntity", message: "The role policy with name \(name) cannot be found.")
    }

    static func roleExists(_ name: String) -> IamError {
        IamError(status: 409, code: "EntityAlreadyExists", message: "Role with name \(name) already exists.")
    }

    static func userExists(_ name: String) -> IamError {
        IamError(status: 409, code: "EntityAlreadyExists", message: "User with name \(name) already exists.")
    }

    static func deleteConflict(_ what: String) -> IamError {
        IamError(status: 409, code: "DeleteConflict", message: "Cannot delete entity, must delete \(what) first.")
    }

    static let accessKeyQuota = IamError(status: 409, code: "LimitExceeded", message: "Cannot exceed quota for AccessKeysPerUser: 2")

    static func malformedPolicy(_ reason: String) -> IamError {
        IamError(status: 400, code: "MalformedPolicyDocument", message: reason)
    }

    static func validation(_ message: String) -> IamError {
        IamError(status: 400, code: "ValidationError", message: message)
    }

    /// AWS's wording for a missing required parameter of a Query operation.
    static func missing(_ name: String) -> IamError {
        IamError(
            status: 400, code: "ValidationError",
            message: "1 validation error detected: Value null at '\(name.prefix(1).lowercased() + name.dropFirst())' failed to satisfy constraint: Member must not be null")
    }

    static func invalidAction(_ action: String) -> IamError {
        IamError(status: 400, code: "InvalidAction", message: "Could not find operation \(action) for version \(IamRoutes.version)")
    }

    static let internalFailure = IamError(status: 500, code: "ServiceFailure", message: "Request processing has failed due to some unknown error.")

    /// The XML body.
    func xml(requestId: String) -> String {
        var xml = IamXML()
        xml.open("ErrorResponse", namespace: IamRoutes.xmlNamespace)
        xml.open("Error")
        xml.element("Type", status >= 500 ? "Receiver" : "Sender")
        xml.element("Code", code)
        xml.element("Message", message)
        xml.close("Error")
        xml.element("RequestId", requestId)
        xml.close("ErrorResponse")
        return xml.text
    }
}
