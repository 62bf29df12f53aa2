import Foundation
import PorticoModel

/// A request's JSON object, read member by member. Every accessor returns `nil` for a member
/// that is absent or `null` and throws a `BadRequestException` naming the member when it has the
/// wrong type, as AWS's request validation does.
struct JSONBody: Sendable {
    let members: [String: JSONValue]
    /// The dotted path of this object inside the request, for error messages ("" at the top).
    let path: String

    init(members: [String: JSONValue], path: String = "") {
        self.members = members
        self.path = path
    }

    /// Parses a request body. An empty body is an empty object.
    init(bytes: [UInt8]) throws(APIError) {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            self.init(members: [:])
            return
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw .badRequest("Could not parse request body into json: \(Self.describe(error))")
        }
        guard case .object(let members) = value else {
            throw .badRequest("Could not parse request body into json: expected a JSON object but got \(value.typeName)")
        }
        self.init(members: members)
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            if let underlying = context.underlyingError {
                return "\(context.debugDescription) \(String(describing: underlying))"
            }
            return context.debugDescription
        }
        return String(describing: error)
    }

    func name(_ member: String) -> String {
        path.isEmpty ? member : "\(path).\(member)"
    }

    func has(_ member: String) -> Bool {
        if let value = members[member], value != .null { return true }
        return false
    }

    private func value(_ member: String) -> JSONValue? {
        guard let value = members[member], value != .null else { return nil }
        return value
    }

    func typeError(_ member: String, expected: String, got value: JSONValue) -> APIError {
        .badRequest("Invalid type for member '\(name(member))': expected \(expected) but got \(value.typeName).")
    }

    func string(_ member: String) throws(APIError) -> String? {
        guard let value = value(member) else { return nil }
        guard case .string(let text) = value else { throw typeError(member, expected: "a string", got: value) }
        return text
    }

    func bool(_ member: String) throws(APIError) -> Bool? {
        guard let value = value(member) else { return nil }
        guard case .bool(let flag) = value else { throw typeError(member, expected: "a boolean", got: value) }
        return flag
    }

    func integer(_ member: String) throws(APIError) -> Int? {
        guard let value = value(member) else { return nil }
        if case .integer(let integer) = value, let result = Int(exactly: integer) { return result }
        guard case .number(let number) = value, number.rounded() == number, abs(number) < 9.0e15 else {
            throw typeError(member, expected: "an integer", got: value)
        }
        return Int(number)
    }

    func double(_ member: String) throws(APIError) -> Double? {
        guard let value = value(member) else { return nil }
        guard let number = value.numberValue else { throw typeError(member, expected: "a number", got: value) }
        return number
    }

    func object(_ member: String) throws(APIError) -> JSONBody? {
        guard let value = value(member) else { return nil }
        guard case .object(let members) = value else { throw typeError(member, expected: "an object", got: value) }
        return JSONBody(members: members, path: name(member))
    }

    func stringList(_ member: String) throws(APIError) -> [String]? {
        guard let value = value(member) else { return nil }
        guard case .array(let elements) = value else { throw typeError(member, expected: "a list of strings", got: value) }
        var result: [String] = []
        for element in elements {
            guard case .string(let text) = element else {
                throw .badRequest("Invalid type for member '\(name(member))': expected a list of strings but an element is \(element.typeName).")
            }
            result.append(text)
        }
        return result
    }

    /// A map of strings. With `nullAsEmpty`, a `null` value reads as `""` (AWS takes a `null`
    /// response template as "no template").
    func stringMap(_ member: String, nullAsEmpty: Bool = false) throws(APIError) -> [String: String]? {
        guard let value = value(member) else { return nil }
        guard case .object(let entries) = value else { throw typeError(member, expected: "a map of strings", got: value) }
        var result: [String: String] = [:]
        for (key, entry) in entries {
            if nullAsEmpty, entry == .null {
                result[key] = ""
                continue
            }
            guard case .string(let text) = entry else {
                throw .badRequest("Invalid type for member '\(name(member)).\(key)': expected a string but got \(entry.typeName).")
            }
            result[key] = text
        }
        return result
    }

    /// A map of booleans (`requestParameters` of REST API methods: name → required).
    func boolMap(_ member: String) throws(APIError) -> [String: Bool]? {
        guard let value = value(member) else { return nil }
        guard case .object(let entries) = value else { throw typeError(member, expected: "a map of booleans", got: value) }
        var result: [String: Bool] = [:]
        for (key, entry) in entries {
            guard case .bool(let flag) = entry else {
                throw .badRequest("Invalid type for member '\(name(member)).\(key)': expected a boolean but got \(entry.typeName).")
            }
            result[key] = flag
        }
        return result
    }

    /// A list of objects (`patchOperations`).
    func objectList(_ member: String) throws(APIError) -> [JSONBody]? {
        guard let value = value(member) else { return nil }
        guard case .array(let elements) = value else { throw typeError(member, expected: "a list", got: value) }
        var result: [JSONBody] = []
        for (index, element) in elements.enumerated() {
            guard case .object(let members) = element else {
                throw .badRequest("Invalid type for member '\(name(member))[\(index)]': expected an object but got \(element.typeName).")
            }
            result.append(JSONBody(members: members, path: "\(name(member))[\(index)]"))
        }
        return result
    }

    /// A map whose values are objects (`routeSettings`, `requestParameters` of routes).
    func objectMap(_ member: String) throws(APIError) -> [String: JSONBody]? {
        guard let value = value(member) else { return nil }
        guard case .object(let entries) = value else { throw typeError(member, expected: "a map", got: value) }
        var result: [String: JSONBody] = [:]
        for (key, entry) in entries {
            guard case .object(let members) = entry else {
                throw .badRequest("Invalid type for member '\(name(member)).\(key)': expected an object but got \(entry.typeName).")
            }
            result[key] = JSONBody(members: members, path: "\(name(member)).\(key)")
        }
        return result
    }

    /// A map of maps of strings (`responseParameters` of integrations).
    func stringMapMap(_ member: String) throws(APIError) -> [String: [String: String]]? {
        guard let entries = try objectMap(member) else { return nil }
        var result: [String: [String: String]] = [:]
        for (key, body) in entries {
            var inner: [String: String] = [:]
            for (innerKey, value) in body.members {
                guard case .string(let text) = value else {
                    throw .badRequest("Invalid type for member '\(body.path).\(innerKey)': expected a string but got \(value.typeName).")
                }
                inner[innerKey] = text
            }
            result[key] = inner
        }
        return result
    }

    /// A member that must be one of `allowed` (a model enum).
    func enumeration(_ member: String, _ allowed: [String]) throws(APIError) -> String? {
        guard let text = try string(member) else { return nil }
        guard allowed.contains(text) else {
            throw .badRequest("Invalid value for member '\(name(member))': '\(text)'. Valid values: \(allowed.joined(separator: ", ")).")
        }
        return text
    }

    /// A string member with AWS's length bounds from the service model.
    func string(_ member: String, length: ClosedRange<Int>) throws(APIError) -> String? {
        guard let text = try string(member) else { return nil }
        guard length.contains(text.count) else {
            throw .badRequest("Invalid value for member '\(name(member))': its length must be between \(length.lowerBound) and \(length.upperBound) characters.")
        }
        return text
    }

    func required<T>(_ member: String, _ value: T?) throws(APIError) -> T {
        guard let value else {
            throw .badRequest("Missing required member '\(name(member))'.")
        }
        return value
    }
}
