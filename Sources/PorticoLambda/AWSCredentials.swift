import Foundation

/// AWS credentials for signing calls to a remote Invoke API, found as botocore finds them: the
/// environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), else the shared
/// credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`) profile
/// `AWS_PROFILE` (default `default`). Never printed: `description` names the key id only.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    public var description: String {
        "AWSCredentials(accessKeyId: \(accessKeyId), sessionToken: \(sessionToken == nil ? "none" : "set"))"
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The credentials the environment names, or nil when it names none.
    /// - Throws: ``LoadError`` for half-given credentials (the message never holds a secret).
    public static func resolve(environment: [String: String]) throws(LoadError) -> AWSCredentials? {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        switch (value("AWS_ACCESS_KEY_ID"), value("AWS_SECRET_ACCESS_KEY")) {
        case (let id?, let secret?):
            return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
        case (nil, nil):
            break
        default:
            throw LoadError(description: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be given together")
        }
        let path =
            value("AWS_SHARED_CREDENTIALS_FILE")
            ?? (value("HOME").map { $0 + "/.aws/credentials" } ?? NSHomeDirectory() + "/.aws/credentials")
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let profile = value("AWS_PROFILE") ?? value("AWS_DEFAULT_PROFILE") ?? "default"
        return try parse(String(decoding: data, as: UTF8.self), profile: profile, path: path)
    }

    /// One profile of a shared credentials file, read as botocore's `configparser` reads it:
    /// `[profile]` sections, `key = value` or `key: value`, case-insensitive keys, `#`/`;` comment
    /// lines, no inline comments.
    static func parse(_ text: String, profile: String, path: String) throws(LoadError) -> AWSCredentials? {
        var section: String?
        var values: [String: String] = [:]
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                section = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                continue
            }
            guard section == profile, let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let key = line[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            values[key] = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
        }
        switch (values["aws_access_key_id"], values["aws_secret_access_key"]) {
        case (let id?, let secret?):
            return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: values["aws_session_token"])
        case (nil, nil):
            return nil
        default:
            throw LoadError(description: "profile \(profile) in \(path) has only one of aws_access_key_id and aws_secret_access_key")
        }
    }
}
