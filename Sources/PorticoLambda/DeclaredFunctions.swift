import Foundation
import Yams

/// Functions declared in Portico's config file (`portico serve --config FILE`), for local
/// development without zips. The format is documented in docs/FUNCTIONS.md:
///
/// ```yaml
/// functions:
///   - name: hello
///     command: ["./bootstrap"]          # or a string, split on spaces
///     workingDirectory: ./functions/hello
///     environment: {GREETING: hi}
///     timeout: 10                       # seconds, 1–900 (default 3)
///     concurrency: 2                    # reserved concurrency (default: the host's)
///   - name: py
///     runtime: python3.12
///     handler: app.handler
///     codeDirectory: ./functions/py
/// ```
public enum DeclaredFunctions {
    static let keys: Set<String> = [
        "name", "command", "workingDirectory", "codeDirectory", "environment", "timeout", "concurrency", "runtime", "handler",
        "memorySize", "role",
    ]

    /// Reads and checks the config file; relative directories are taken from the file's own directory.
    public static func load(path: String, region: String, accountId: String) throws(DeclaredFunctionsError) -> [FunctionConfiguration] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DeclaredFunctionsError("cannot read the config file \(path): \(error.localizedDescription)")
        }
        let directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        return try parse(yaml: text, baseDirectory: directory, region: region, accountId: accountId, source: path)
    }

    public static func parse(
        yaml: String, baseDirectory: String, region: String, accountId: String, source: String = "the config file"
    ) throws(DeclaredFunctionsError) -> [FunctionConfiguration] {
        let document: Any?
        do {
            document = try Yams.load(yaml: yaml)
        } catch {
            throw DeclaredFunctionsError("\(source) is not valid YAML: \(error)")
        }
        guard let document else { return [] }
        guard let root = document as? [String: Any] else {
            throw DeclaredFunctionsError("\(source): expected a mapping with a `functions:` list at the top")
        }
        for key in root.keys where key != "functions" {
            throw DeclaredFunctionsError("\(source): unknown top-level key `\(key)` (expected `functions`)")
        }
        guard let list = root["functions"] else { return [] }
        guard let entries = list as? [Any] else { throw DeclaredFunctionsError("\(source): `functions` must be a list") }
        var seen: Set<String> = []
        var functions: [FunctionConfiguration] = []
        for (index, entry) in entries.enumerated() {
            let function = try parseFunction(
                entry, at: "\(source): functions[\(index)]", baseDirectory: baseDirectory, region: region, accountId: accountId)
            guard seen.insert(function.name).inserted else {
                throw DeclaredFunctionsError("\(source): functions[\(index)]: the name \(function.name) is declared twice")
            }
            functions.append(function)
        }
        return functions
    }

    private static func parseFunction(
        _ entry: Any, at place: String, baseDirectory: String, region: String, accountId: String
    ) throws(DeclaredFunctionsError) -> FunctionConfiguration {
        guard let fields = entry as? [String: Any] else { throw DeclaredFunctionsError("\(place): expected a mapping") }
        for key in fields.keys where !keys.contains(key) {
            throw DeclaredFunctionsError("\(place): unknown key `\(key)` (expected one of \(keys.sorted().joined(separator: ", ")))")
        }
        guard let name = fields["name"] as? String, isValidName(name) else {
            throw DeclaredFunctionsError("\(place): `name` is required: 1 to 64 letters, digits, hyphens or underscores")
        }
        let place = "\(place) (\(name))"
        let command = try parseCommand(fields["command"], at: place)
        let runtime = try string(fields["runtime"], "runtime", at: place)
        let handler = try string(fields["handler"], "handler", at: place)
        switch (command, runtime) {
        case (nil, nil):
            throw DeclaredFunctionsError("\(place): give either `command` or `runtime` (provided.al2023, python3.x) with `handler`")
        case (nil, let runtime?) where !runtime.hasPrefix("provided") && !runtime.hasPrefix("python3"):
            throw DeclaredFunctionsError(
                "\(place): runtime \(runtime) is not supported; use provided.al2023, provided.al2 or python3.x, or a `command`")
        case (nil, let runtime?) where runtime.hasPrefix("python3") && handler == nil:
            throw DeclaredFunctionsError("\(place): a \(runtime) function needs a `handler` (module.function)")
        default: break
        }
        let workingDirectory = try string(fields["workingDirectory"], "workingDirectory", at: place)
        let codeDirectory = try string(fields["codeDirectory"], "codeDirectory", at: place)
        if workingDirectory != nil, codeDirectory != nil {
            throw DeclaredFunctionsError("\(place): give `workingDirectory` or `codeDirectory`, not both (they are the same thing)")
        }
        let directory = resolve(workingDirectory ?? codeDirectory ?? ".", against: baseDirectory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DeclaredFunctionsError("\(place): the directory \(directory) does not exist")
        }
        let timeout = try integer(fields["timeout"], "timeout", in: 1...900, at: place) ?? 3
        let concurrency = try integer(fields["concurrency"], "concurrency", in: 0...10_000, at: place)
        let memory = try integer(fields["memorySize"], "memorySize", in: 128...10_240, at: place) ?? 128
        let environment = try parseEnvironment(fields["environment"], at: place)
        // `role`: an IAM role ARN, or a role's name in Portico's account; the process gets temporary
        // credentials acting as it (docs/FUNCTIONS.md, "Credentials").
        let role = try string(fields["role"], "role", at: place).map { value in
            value.hasPrefix("arn:") ? value : "arn:aws:iam::\(accountId):role/\(value)"
        }

        var function = FunctionConfiguration(
            name: name, arn: "arn:aws:lambda:\(region):\(accountId):function:\(name)", runtime: runtime, handler: handler,
            command: command, codeDirectory: directory, environment: environment, timeoutSeconds: timeout, memorySizeMB: memory,
            reservedConcurrency: concurrency, role: role, revision: "")
        function.revision = revision(of: function)
        return function
    }

    /// AWS's function-name pattern, for the name part: `[a-zA-Z0-9-_]+`, at most 64 characters.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    private static func parseCommand(_ value: Any?, at place: String) throws(DeclaredFunctionsError) -> [String]? {
        switch value {
        case nil: return nil
        case let text as String:
            // A string is split on spaces (no shell quoting); use a list for arguments with spaces.
            let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard !parts.isEmpty else { throw DeclaredFunctionsError("\(place): `command` is empty") }
            return parts
        case let list as [Any]:
            let parts = list.compactMap { scalarText($0) }
            guard parts.count == list.count, !parts.isEmpty else {
                throw DeclaredFunctionsError("\(place): `command` must be a string or a non-empty list of strings")
            }
            return parts
        default:
            throw DeclaredFunctionsError("\(place): `command` must be a string or a list of strings")
        }
    }

    private static func parseEnvironment(_ value: Any?, at place: String) throws(DeclaredFunctionsError) -> [String: String] {
        guard let value else { return [:] }
        guard let mapping = value as? [String: Any] else {
            throw DeclaredFunctionsError("\(place): `environment` must be a mapping of names to values")
        }
        var environment: [String: String] = [:]
        for (key, raw) in mapping {
            guard let text = scalarText(raw) else {
                throw DeclaredFunctionsError("\(place): environment variable \(key) must be a string, number or boolean")
            }
            environment[key] = text
        }
        return environment
    }

    private static func string(_ value: Any?, _ key: String, at place: String) throws(DeclaredFunctionsError) -> String? {
        guard let value else { return nil }
        guard let text = value as? String, !text.isEmpty else { throw DeclaredFunctionsError("\(place): `\(key)` must be a non-empty string") }
        return text
    }

    private static func integer(_ value: Any?, _ key: String, in range: ClosedRange<Int>, at place: String) throws(DeclaredFunctionsError) -> Int? {
        guard let value else { return nil }
        guard let number = value as? Int, range.contains(number) else {
            throw DeclaredFunctionsError("\(place): `\(key)` must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// YAML scalars as the text a process sees (`true`, `42`, `hi`).
    private static func scalarText(_ value: Any) -> String? {
        switch value {
        case let text as String: text
        case let flag as Bool: flag ? "true" : "false"
        case let number as Int: String(number)
        case let number as Double: String(number)
        default: nil
        }
    }

    private static func resolve(_ path: String, against base: String) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: base).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }

    /// Changes whenever anything the process sees changes, so a reload retires old processes.
    static func revision(of function: FunctionConfiguration) -> String {
        let canonical = [
            function.command?.joined(separator: "\u{1}") ?? "", function.runtime ?? "", function.handler ?? "", function.codeDirectory,
            function.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1}"),
            String(function.timeoutSeconds), String(function.memorySizeMB), function.reservedConcurrency.map(String.init) ?? "-",
            function.role ?? "",
        ].joined(separator: "\u{2}")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in canonical.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return "declared-" + String(hash, radix: 16)
    }
}

/// A config file Portico cannot use, worded for the person who wrote it.
public struct DeclaredFunctionsError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
