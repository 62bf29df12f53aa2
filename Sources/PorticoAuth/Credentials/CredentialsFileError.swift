/// Why a credentials file was refused, with the line to look at.
///
/// Never carries a value from the file: a malformed line may be a secret pasted on its own, so
/// messages name the line number, the profile and the well-known key names only.
public struct CredentialsFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is; compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case malformedSectionHeader
            case missingDelimiter
            case emptyKey
            case keyOutsideProfile
            case duplicateProfile
            case duplicateKey
            case emptyValue
            case incompleteProfile
            case conflictingAccessKeyId
            case unreadable
        }

        private let base: Base

        /// A line starting with `[` that is not `[name]`.
        public static let malformedSectionHeader = Code(base: .malformedSectionHeader)
        /// A line that is neither a comment, a `[profile]` nor `key = value`.
        public static let missingDelimiter = Code(base: .missingDelimiter)
        /// `= value` with nothing before the `=`.
        public static let emptyKey = Code(base: .emptyKey)
        /// `key = value` before the first `[profile]`.
        public static let keyOutsideProfile = Code(base: .keyOutsideProfile)
        /// The same `[profile]` twice.
        public static let duplicateProfile = Code(base: .duplicateProfile)
        /// The same key twice in one profile.
        public static let duplicateKey = Code(base: .duplicateKey)
        /// `aws_access_key_id` or `aws_secret_access_key` with no value.
        public static let emptyValue = Code(base: .emptyValue)
        /// A profile with an access key id but no secret, or the reverse.
        public static let incompleteProfile = Code(base: .incompleteProfile)
        /// One access key id with two different secrets in two profiles.
        public static let conflictingAccessKeyId = Code(base: .conflictingAccessKeyId)
        /// The file could not be read.
        public static let unreadable = Code(base: .unreadable)

        public var description: String { String(describing: base) }
    }

    public let code: Code
    /// The 1-based line the problem is on; `nil` when it concerns the whole file.
    public let line: Int?
    private let message: String

    init(_ code: Code, line: Int?, _ message: String) {
        self.code = code
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "credentials file, line \(line): \(message)" }
        return "credentials file: \(message)"
    }
}
