import PorticoModel

/// A function as the Lambda API's `FunctionName` names it: a name (`my-function`), a full ARN
/// (`arn:aws:lambda:us-east-1:123456789012:function:my-function`) or a partial ARN
/// (`123456789012:function:my-function`), any of them optionally followed by `:qualifier`, plus
/// the separate `Qualifier` query parameter. Only `$LATEST` exists in Portico.
struct LambdaFunctionReference: Equatable, Sendable {
    var name: String
    var qualifier: String?

    /// The model's pattern for `FunctionName`, quoted in AWS's validation messages.
    static let namePattern =
        #"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?"#

    init(name: String, qualifier: String? = nil) {
        self.name = name
        self.qualifier = qualifier
    }

    /// Parses `text`. A function in another region or account is not reachable here: AWS answers
    /// those with ResourceNotFoundException (the region wording is AWS's, as LocalStack records it).
    init(parsing text: String, qualifier queryQualifier: String? = nil, region: String, accountId: String) throws(APIError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var name: String
        var qualifier: String?
        if parts.first == "arn" {
            guard parts.count == 7 || parts.count == 8, parts[1].hasPrefix("aws"), parts[2] == "lambda", parts[5] == "function"
            else { throw Self.patternViolation(text) }
            guard parts[3] == region else {
                throw LambdaErrors.notFound("Functions from '\(parts[3])' are not reachable in this region ('\(region)')")
            }
            guard parts[4] == accountId else { throw LambdaErrors.functionNotFound(text) }
            name = parts[6]
            qualifier = parts.count == 8 ? parts[7] : nil
        } else if parts.count >= 3, parts[1] == "function" {
            guard parts.count <= 4, parts[0].count == 12, parts[0].allSatisfy(\.isASCIIDigit) else { throw Self.patternViolation(text) }
            guard parts[0] == accountId else { throw LambdaErrors.functionNotFound(text) }
            name = parts[2]
            qualifier = parts.count == 4 ? parts[3] : nil
        } else {
            guard parts.count <= 2 else { throw Self.patternViolation(text) }
            name = parts[0]
            qualifier = parts.count == 2 ? parts[1] : nil
        }
        guard Self.isValidName(name), qualifier.map(Self.isValidQualifier) ?? true else {
            throw Self.patternViolation(text)
        }
        if let queryQualifier {
            guard Self.isValidQualifier(queryQualifier) else {
                throw LambdaErrors.validation([
                    "Value '\(queryQualifier)' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)"
                ])
            }
            if let qualifier, qualifier != queryQualifier {
                throw LambdaErrors.invalidParameter("The derived qualifier from the function name does not match the specified qualifier.")
            }
            qualifier = queryQualifier
        }
        self.name = name
        self.qualifier = qualifier
    }

    /// A function name: 1–64 of `[a-zA-Z0-9-_]` (the model's pattern; the 64 is Lambda's limit on
    /// a bare name).
    static func isValidName(_ name: some StringProtocol) -> Bool {
        (1...64).contains(name.count) && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default: false
            }
        }
    }

    static func isValidQualifier(_ qualifier: String) -> Bool {
        (1...128).contains(qualifier.count) && qualifier.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "$"):
                true
            default: false
            }
        }
    }

    /// AWS's ValidationException for a `FunctionName` that fails the model's pattern.
    static func patternViolation(_ text: String) -> APIError {
        LambdaErrors.validation([
            "Value '\(text)' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: \(namePattern)"
        ])
    }

    /// Whether the reference names `$LATEST` (no qualifier counts as `$LATEST`).
    var isLatest: Bool { qualifier == nil || qualifier == "$LATEST" }
}

/// Lambda ARNs in Portico's region and account.
enum LambdaArn {
    static func function(_ name: String, region: String, accountId: String) -> String {
        "arn:aws:lambda:\(region):\(accountId):function:\(name)"
    }

    static func function(_ name: String, qualifier: String?, region: String, accountId: String) -> String {
        let arn = function(name, region: region, accountId: accountId)
        guard let qualifier else { return arn }
        return "\(arn):\(qualifier)"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
