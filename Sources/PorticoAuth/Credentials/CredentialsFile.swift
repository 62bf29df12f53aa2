import Foundation

/// Reads Portico's management credentials from a file in the AWS shared-credentials format, so the
/// same `~/.aws/credentials`-style file can configure both the server and the clients that call it.
///
/// ```ini
/// # comments start with # or ;
/// [default]
/// aws_access_key_id = AKIDEXAMPLE
/// aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
///
/// [ci]
/// aws_access_key_id=AKIDCI
/// aws_secret_access_key=...
/// ; other keys are allowed and ignored
/// region = us-east-1
/// ```
///
/// The reading follows botocore's (Python's `configparser`): key names are case-insensitive, `=` or
/// `:` separates key and value, whitespace around both is dropped, and there are no inline comments
/// (a secret may contain `#` or `;`). A profile without keys (say, only `region`) is skipped; a
/// profile with only one of the two keys is an error, since that is almost always a typo.
public enum CredentialsFile {
    /// The keys that make a credential; only these names ever appear in error messages.
    private static let accessKeyIdKey = "aws_access_key_id"
    private static let secretKey = "aws_secret_access_key"

    /// Parses `text` into access key id → secret access key.
    ///
    /// - Throws: ``CredentialsFileError`` naming the line; never the value on it.
    public static func parse(_ text: String) throws(CredentialsFileError) -> [String: String] {
        var profiles: [Profile] = []
        // Split on Characters that are newlines: in Swift "\r\n" is one Character, so a Windows
        // file would not split on "\n" alone.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (offset, rawLine) in lines.enumerated() {
            let number = offset + 1
            var line = Substring(rawLine)
            if number == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }

            if trimmed.hasPrefix("[") {
                let name = trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                guard trimmed.hasSuffix("]"), !name.isEmpty, !name.contains("]") else {
                    throw CredentialsFileError(
                        .malformedSectionHeader, line: number, "expected a profile header such as [default]")
                }
                if let first = profiles.first(where: { $0.name == name }) {
                    throw CredentialsFileError(
                        .duplicateProfile, line: number, "profile [\(name)] was already defined on line \(first.line)")
                }
                profiles.append(Profile(name: name, line: number))
                continue
            }

            guard let delimiter = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw CredentialsFileError(
                    .missingDelimiter, line: number, "expected 'key = value', a [profile] header or a comment")
            }
            let key = trimmed[..<delimiter].trimmingCharacters(in: .whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: delimiter)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else {
                throw CredentialsFileError(.emptyKey, line: number, "expected a key name before the '=' or ':'")
            }
            guard !profiles.isEmpty else {
                throw CredentialsFileError(
                    .keyOutsideProfile, line: number, "key before the first [profile] header")
            }
            let known = key == accessKeyIdKey || key == secretKey
            if profiles[profiles.count - 1].keys.contains(key) {
                let what = known ? key : "a key"
                throw CredentialsFileError(
                    .duplicateKey, line: number,
                    "\(what) is set twice in profile [\(profiles[profiles.count - 1].name)]")
            }
            profiles[profiles.count - 1].keys.insert(key)
            guard known else { continue }
            guard !value.isEmpty else {
                throw CredentialsFileError(.emptyValue, line: number, "\(key) has no value")
            }
            if key == accessKeyIdKey {
                profiles[profiles.count - 1].accessKeyId = value
            } else {
                profiles[profiles.count - 1].secret = value
            }
        }
        return try credentials(of: profiles)
    }

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(CredentialsFileError) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CredentialsFileError(.unreadable, line: nil, "cannot read \(path)")
        }
        return try parse(String(decoding: data, as: UTF8.self))
    }

    private static func credentials(of profiles: [Profile]) throws(CredentialsFileError) -> [String: String] {
        var credentials: [String: String] = [:]
        var definedOn: [String: Int] = [:]
        for profile in profiles {
            switch (profile.accessKeyId, profile.secret) {
            case (nil, nil):
                continue
            case (let id?, let secret?):
                if let existing = credentials[id], existing != secret {
                    throw CredentialsFileError(
                        .conflictingAccessKeyId, line: profile.line,
                        "profile [\(profile.name)] gives access key id \(id) a different secret than the profile "
                            + "on line \(definedOn[id] ?? 0)")
                }
                credentials[id] = secret
                definedOn[id] = definedOn[id] ?? profile.line
            case (_?, nil):
                throw CredentialsFileError(
                    .incompleteProfile, line: profile.line,
                    "profile [\(profile.name)] has \(accessKeyIdKey) but no \(secretKey)")
            case (nil, _?):
                throw CredentialsFileError(
                    .incompleteProfile, line: profile.line,
                    "profile [\(profile.name)] has \(secretKey) but no \(accessKeyIdKey)")
            }
        }
        return credentials
    }

    /// One `[name]` section while it is being read.
    private struct Profile {
        var name: String
        var line: Int
        var keys: Set<String> = []
        var accessKeyId: String?
        var secret: String?
    }
}
