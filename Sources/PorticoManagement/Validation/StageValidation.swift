import PorticoModel

/// Stage names and stage variables as AWS accepts them for HTTP APIs.
enum StageValidation {
    /// `$default`, or 1–128 letters, digits, hyphens and underscores.
    static func validateName(_ name: String) throws(APIError) {
        if name == Stage.defaultStageName { return }
        guard (1...128).contains(name.utf8.count), name.utf8.allSatisfy(isNameByte) else {
            throw .badRequest(
                "Stage name is invalid: '\(name)'. Stage names can only contain alphanumeric characters, hyphens, and underscores, or be $default. Maximum length is 128 characters."
            )
        }
    }

    /// Names: letters, digits and underscores; values: `[A-Za-z0-9-._~:/?#&=,]+`, up to 2048 characters.
    static func validateVariables(_ variables: [String: String]) throws(APIError) {
        for (name, value) in variables {
            guard !name.isEmpty, name.utf8.count <= 64, name.utf8.allSatisfy(isVariableNameByte) else {
                throw .badRequest("Stage variable name '\(name)' is invalid. Names can only contain alphanumeric and underscore characters.")
            }
            guard !value.isEmpty, value.utf8.count <= 2048, value.utf8.allSatisfy(isVariableValueByte) else {
                throw .badRequest(
                    "Stage variable value '\(value)' for '\(name)' is invalid. Values must match [A-Za-z0-9-._~:/?#&=,]+ and be at most 2048 characters."
                )
            }
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    private static func isVariableNameByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "_")
    }

    private static let valuePunctuation = Set("-._~:/?#&=,".utf8)

    private static func isVariableValueByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || valuePunctuation.contains(byte)
    }
}
