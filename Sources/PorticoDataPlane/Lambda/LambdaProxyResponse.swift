import Foundation
import PorticoModel

/// A Lambda proxy integration's answer, read from the function's result as API Gateway reads it.
///
/// - Payload 1.0 (REST, and HTTP APIs with 1.0): the result must be an object made only of
///   `statusCode`, `headers`, `multiValueHeaders`, `body` and `isBase64Encoded`, with at least one of
///   them; anything else is "Malformed Lambda proxy response" (AWS_FACTS fact 4: an unknown key,
///   `{}`, a bare string, a non-numeric `statusCode`, a non-list in `multiValueHeaders`). A
///   missing `statusCode` means 200, a numeric string is accepted, header values may be booleans
///   or numbers (`true` is sent as `true`), and `multiValueHeaders` and `headers` are merged, the
///   multi-values first (`value-multi, value-solo`).
/// - Payload 2.0 (HTTP APIs): "If your Lambda function returns valid JSON and doesn't return a
///   statusCode, API Gateway assumes 200, `content-type: application/json`, and the JSON as the
///   body". `cookies` become `set-cookie` headers; unknown members are ignored.
struct LambdaProxyResponse: Equatable {
    var status: Int
    /// In order; a name may repeat (one header line each).
    var headers: [(String, String)]
    var body: [UInt8]
    /// `isBase64Encoded: true`: `body` holds base64 text that may be decoded to bytes.
    var isBase64Encoded: Bool

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body && lhs.isBase64Encoded == rhs.isBase64Encoded
            && lhs.headers.elementsEqual(rhs.headers, by: { $0 == $1 })
    }

    /// Why a result was refused, for the log and `$context.integrationErrorMessage`.
    struct Malformed: Error, Equatable {
        var reason: String
    }

    static let v1Members: Set<String> = ["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"]

    static func parseV1(_ payload: [UInt8]) -> Result<LambdaProxyResponse, Malformed> {
        guard case .object(let members)? = JSONParser.parse(payload) else {
            return .failure(Malformed(reason: "the result is not a JSON object"))
        }
        if let unknown = members.keys.first(where: { !v1Members.contains($0) }) {
            return .failure(Malformed(reason: "unknown member \(unknown)"))
        }
        guard !members.isEmpty else { return .failure(Malformed(reason: "the result is an empty object")) }
        return parseMembers(members, cookies: false)
    }

    static func parseV2(_ payload: [UInt8]) -> Result<LambdaProxyResponse, Malformed> {
        guard let value = JSONParser.parse(payload) else {
            return .failure(Malformed(reason: "the result is not JSON"))
        }
        guard case .object(let members) = value, members["statusCode"] != nil else {
            // 2.0's assumption: the whole result is a JSON body.
            return .success(LambdaProxyResponse(status: 200, headers: [("content-type", "application/json")], body: payload, isBase64Encoded: false))
        }
        return parseMembers(members, cookies: true)
    }

    private static func parseMembers(_ members: [String: JSONValue], cookies: Bool) -> Result<LambdaProxyResponse, Malformed> {
        var status = 200
        switch members["statusCode"] {
        case nil, .null?: break
        case .integer(let number)?: status = Int(number)
        case .number(let number)? where number == number.rounded() && abs(number) < 1e6: status = Int(number)
        case .string(let text)?:
            guard let number = Int(text) else { return .failure(Malformed(reason: "statusCode \(text) is not a number")) }
            status = number
        default: return .failure(Malformed(reason: "statusCode is not a number"))
        }
        guard (100...599).contains(status) else { return .failure(Malformed(reason: "statusCode \(status) is out of range")) }

        var headers: [(String, String)] = []
        if let multi = members["multiValueHeaders"], !cookies {
            switch multi {
            case .null: break
            case .object(let entries):
                for (name, list) in entries.sorted(by: { $0.key < $1.key }) {
                    guard case .array(let values) = list else {
                        return .failure(Malformed(reason: "multiValueHeaders.\(name) is not a list"))
                    }
                    for value in values {
                        guard let text = scalarText(value) else { return .failure(Malformed(reason: "multiValueHeaders.\(name) holds a non-scalar")) }
                        headers.append((name, text))
                    }
                }
            default: return .failure(Malformed(reason: "multiValueHeaders is not an object"))
            }
        }
        switch members["headers"] {
        case nil, .null?: break
        case .object(let entries)?:
            for (name, value) in entries.sorted(by: { $0.key < $1.key }) {
                if case .null = value { continue }
                guard let text = scalarText(value) else { return .failure(Malformed(reason: "headers.\(name) is not a scalar")) }
                // Merged with the multi-values of the same name, after them (fact 4).
                if let last = headers.lastIndex(where: { $0.0.lowercased() == name.lowercased() }) {
                    headers.insert((name, text), at: last + 1)
                } else {
                    headers.append((name, text))
                }
            }
        default: return .failure(Malformed(reason: "headers is not an object"))
        }
        if cookies, case .array(let list)? = members["cookies"] {
            for cookie in list {
                guard case .string(let text) = cookie else { return .failure(Malformed(reason: "cookies holds a non-string")) }
                headers.append(("set-cookie", text))
            }
        }

        var isBase64Encoded = false
        switch members["isBase64Encoded"] {
        case nil, .null?: break
        case .bool(let flag)?: isBase64Encoded = flag
        case .string(let text)? where text == "true" || text == "false": isBase64Encoded = text == "true"
        default: return .failure(Malformed(reason: "isBase64Encoded is not a boolean"))
        }

        var body: [UInt8] = []
        switch members["body"] {
        case nil, .null?: break
        case .string(let text)?: body = Array(text.utf8)
        case let other?:
            if cookies {
                // 2.0 is lenient: a structured body is sent as its JSON text.
                body = Array(other.jsonText.utf8)
            } else {
                return .failure(Malformed(reason: "body is not a string"))
            }
        }
        return .success(LambdaProxyResponse(status: status, headers: headers, body: body, isBase64Encoded: isBase64Encoded))
    }

    /// Header values as AWS writes them: strings as they are, booleans and numbers as their text.
    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        default: nil
        }
    }

    /// Whether a header from the function can go on the wire as it is: a name made of HTTP token
    /// characters (RFC 9110) and a value without CR, LF or NUL. Others are dropped, so that a
    /// function cannot split the response.
    static func isSendable(name: String, value: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || tokenPunctuation.contains(byte)
            }
            && !value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }

    private static let tokenPunctuation: Set<UInt8> = Set("!#$%&'*+-.^_`|~".utf8)

    /// The body to send: base64-decoded when `isBase64Encoded` and the API takes it as binary.
    func decodedBody(decodeBase64: Bool) -> [UInt8] {
        guard isBase64Encoded, decodeBase64 else { return body }
        return Data(base64Encoded: Data(body), options: .ignoreUnknownCharacters).map { Array($0) } ?? body
    }
}

/// Whether a completed invocation is a function error: Invoke's `X-Amz-Function-Error`, or (the
/// Runtime Interface Emulator's quirk, AWS_FACTS L3) a 200 body that is exactly an error object,
/// `{"errorMessage", "errorType", ...}` — the invoker already folds the latter into the former.
enum LambdaFunctionError {
    /// `errorMessage` of an error result, for `selectionPattern` matching (L4); nil when the
    /// result holds none.
    static func errorMessage(_ payload: [UInt8]) -> String? {
        guard case .object(let members)? = JSONParser.parse(payload) else { return nil }
        switch members["errorMessage"] {
        case .string(let text)?: return text
        case let other? where other != .null: return other.jsonText
        default: return nil
        }
    }
}
