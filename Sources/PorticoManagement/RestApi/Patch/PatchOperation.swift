import PorticoModel

/// One entry of an `apigateway` update's `patchOperations`: `op`, a JSON-pointer `path`, and a
/// string `value` or `from` (AWS sends every value as a string, booleans and numbers included).
///
/// The path is kept as sent (for AWS's error messages, which quote it) and as decoded segments:
/// `/requestTemplates/application~1json` is `["requestTemplates", "application/json"]` (`~1` is
/// `/`, `~0` is `~`, RFC 6901).
struct PatchOperation: Sendable, Equatable {
    enum Op: String, Sendable, CaseIterable {
        case add, remove, replace, move, copy, test
    }

    var op: Op
    /// The path as sent, `nil` when absent.
    var path: String?
    var value: String?
    var from: String?

    init(op: Op, path: String?, value: String? = nil, from: String? = nil) {
        self.op = op
        self.path = path
        self.value = value
        self.from = from
    }

    /// The decoded segments of `path` (empty for a missing path or `/`).
    var segments: [String] { Self.segments(of: path) }

    /// The decoded segments of a JSON pointer.
    static func segments(of pointer: String?) -> [String] {
        guard let pointer, pointer.hasPrefix("/") else { return [] }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(unescape)
    }

    /// RFC 6901: `~1` is `/`, then `~0` is `~`.
    static func unescape(_ segment: Substring) -> String {
        segment.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }

    /// AWS's enumeration of `op` values, in the order its ValidationException lists them.
    static let awsOrder = ["add", "remove", "move", "test", "replace", "copy"]

    /// Reads `patchOperations`. Unknown `op` values are collected into one ValidationException as
    /// AWS reports them (`Value 'x' at 'updateRestApiInput.patchOperations.1.member.op' ...`);
    /// `input` is the operation's input shape name (`updateRestApiInput`).
    static func read(_ body: JSONBody, input: String) throws(APIError) -> [PatchOperation] {
        let entries = try body.objectList("patchOperations") ?? []
        var operations: [PatchOperation] = []
        var errors: [String] = []
        for (index, entry) in entries.enumerated() {
            let opText = try entry.string("op")
            guard let opText, let op = Op(rawValue: opText) else {
                errors.append(
                    RestMessages.enumViolation(
                        opText ?? "null", at: "\(input).patchOperations.\(index + 1).member.op", allowed: awsOrder))
                continue
            }
            operations.append(
                PatchOperation(op: op, path: try entry.string("path"), value: try entry.string("value"), from: try entry.string("from")))
        }
        guard errors.isEmpty else { throw RestMessages.validationErrors(errors) }
        return operations
    }
}
