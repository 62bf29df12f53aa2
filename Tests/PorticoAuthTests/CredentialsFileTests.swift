import Foundation
import PorticoAuth
import Testing

struct CredentialsFileTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

    @Test func aTypicalFile() throws {
        let text = """
            # Portico management credentials
            ; both comment styles

            [default]
            aws_access_key_id = AKIDDEFAULT
            aws_secret_access_key = \(Self.secret)

              [ ci ]
            AWS_ACCESS_KEY_ID=AKIDCI
            aws_secret_access_key:ci/secret+with=equals;and#hash
            region = eu-west-1
            aws_session_token = ignored-token

            [only-settings]
            region = us-east-1
            output = json
            """
        let credentials = try CredentialsFile.parse(text)
        #expect(credentials == ["AKIDDEFAULT": Self.secret, "AKIDCI": "ci/secret+with=equals;and#hash"])
    }

    @Test func windowsLineEndingsAByteOrderMarkAndTabs() throws {
        let text = "\u{FEFF}[default]\r\n\taws_access_key_id\t=\tAKIDWIN\r\naws_secret_access_key = s3cret \r\n"
        #expect(try CredentialsFile.parse(text) == ["AKIDWIN": "s3cret"])
    }

    @Test func anEmptyOrCommentOnlyFileHasNoCredentials() throws {
        #expect(try CredentialsFile.parse("").isEmpty)
        #expect(try CredentialsFile.parse("# nothing\n\n; here\n").isEmpty)
    }

    @Test func theSameKeyInTwoProfilesWithTheSameSecret() throws {
        let text = "[a]\naws_access_key_id=AKID\naws_secret_access_key=s\n[b]\naws_access_key_id=AKID\naws_secret_access_key=s\n"
        #expect(try CredentialsFile.parse(text) == ["AKID": "s"])
    }

    @Test(arguments: [
        ("[default\naws_access_key_id = A\n", CredentialsFileError.Code.malformedSectionHeader, 1),
        ("[]\n", .malformedSectionHeader, 1),
        ("[default]\n\njust some words\n", .missingDelimiter, 3),
        ("[default]\n= value\n", .emptyKey, 2),
        ("aws_access_key_id = A\n[default]\n", .keyOutsideProfile, 1),
        ("[a]\n[b]\n[a]\n", .duplicateProfile, 3),
        ("[a]\naws_access_key_id = A\naws_access_key_id = B\n", .duplicateKey, 3),
        ("[a]\nregion = x\nREGION = y\n", .duplicateKey, 3),
        ("[a]\naws_access_key_id =\naws_secret_access_key = s\n", .emptyValue, 2),
        ("[a]\naws_access_key_id = A\naws_secret_access_key = \n", .emptyValue, 3),
        ("# c\n[a]\naws_access_key_id = A\n", .incompleteProfile, 2),
        ("[a]\nregion = x\n\n[b]\naws_secret_access_key = s\n", .incompleteProfile, 4),
        (
            "[a]\naws_access_key_id=K\naws_secret_access_key=s1\n[b]\naws_access_key_id=K\naws_secret_access_key=s2\n",
            .conflictingAccessKeyId, 4
        ),
    ])
    func malformedFilesNameTheLine(_ text: String, _ code: CredentialsFileError.Code, _ line: Int) {
        let error = #expect(throws: CredentialsFileError.self) { try CredentialsFile.parse(text) }
        #expect(error?.code == code)
        #expect(error?.line == line)
        #expect(error?.description.hasPrefix("credentials file, line \(line): ") == true)
    }

    @Test func anErrorMessageReads() {
        do {
            _ = try CredentialsFile.parse("[ci]\naws_access_key_id = AKIDCI\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "credentials file, line 1: profile [ci] has aws_access_key_id but no aws_secret_access_key")
        }
    }

    /// A secret must never reach a log through an error, whatever the mistake around it.
    @Test func noErrorEverContainsASecret() {
        let secret = "Zq9/SuperSecretValue+xyz"
        let texts = [
            // The secret pasted alone on a line.
            "[default]\naws_access_key_id = AKID\n\(secret)\n",
            // A space instead of '=': the whole line is one unknown key.
            "[default]\naws_access_key_id = AKID\naws_secret_access_key \(secret)\n",
            // The secret as a key.
            "[default]\n\(secret) = \n\(secret) = again\n",
            // A duplicated secret.
            "[default]\naws_access_key_id = AKID\naws_secret_access_key = \(secret)\naws_secret_access_key = \(secret)\n",
            // Secret before any profile.
            "aws_secret_access_key = \(secret)\n",
            // A broken header holding the secret.
            "[\(secret)\n",
            // Two secrets for one key.
            "[a]\naws_access_key_id=K\naws_secret_access_key=\(secret)\n[b]\naws_access_key_id=K\naws_secret_access_key=\(secret)2\n",
            // Only a secret.
            "[a]\naws_secret_access_key = \(secret)\n",
        ]
        for text in texts {
            do {
                _ = try CredentialsFile.parse(text)
                Issue.record("expected an error for: \(text.count) characters")
            } catch {
                var dumped = ""
                dump(error, to: &dumped)
                for shown in [error.description, String(reflecting: error), "\(error)", dumped] {
                    #expect(!shown.lowercased().contains("supersecret"), "leaked in: \(shown)")
                }
            }
        }
    }

    @Test func loadingAFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("portico-credentials-\(UUID().uuidString)")
        try "[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key=file-secret\n".write(
            to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try CredentialsFile.load(path: url.path) == ["AKIDFILE": "file-secret"])
    }

    @Test func loadingAMissingFile() {
        let error = #expect(throws: CredentialsFileError.self) {
            try CredentialsFile.load(path: "/nonexistent/portico/credentials")
        }
        #expect(error?.code == .unreadable)
        #expect(error?.line == nil)
    }
}
