import Crypto
import Foundation
import PorticoModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where functions' code lives: `{root}/{functionName}/{sha256 hex}/`, one directory per
/// uploaded package, so that a new upload never changes files under a process that is still
/// running the old one. (The digest is in hex here, not the base64 of `CodeSha256`, whose `/`
/// cannot be in a file name.)
struct FunctionCodeStorage: Sendable {
    var root: String
    var maxUnzippedBytes: Int

    /// A decoded deployment package and its digests.
    struct Package: Sendable {
        var zip: Data
        /// Base64 of the SHA-256 (AWS's `CodeSha256`).
        var sha256Base64: String
        var sha256Hex: String

        init(zip: Data) {
            self.zip = zip
            let digest = SHA256.hash(data: zip)
            sha256Base64 = Data(digest).base64EncodedString()
            sha256Hex = digest.map { String(format: "%02x", $0) }.joined()
        }

        /// `Code.ZipFile` / `ZipFile` as the SDKs send it: base64 in the JSON body.
        init(base64 text: String) throws(APIError) {
            guard let zip = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
                throw LambdaErrors.invalidParameter("Could not decode the ZipFile member: it is not base64.")
            }
            self.init(zip: zip)
        }
    }

    /// The outcome of ``store(_:functionName:)``.
    struct Stored: Sendable {
        var code: LambdaFunctionCode
        /// Whether this call made the directory (and so may remove it if the operation fails).
        var created: Bool
    }

    func functionDirectory(_ functionName: String) -> String {
        root + "/" + functionName
    }

    /// Unpacks `package` for `functionName`, or reuses the directory when the same package was
    /// unpacked before.
    func store(_ package: Package, functionName: String) throws(APIError) -> Stored {
        let directory = functionDirectory(functionName) + "/" + package.sha256Hex
        let code = LambdaFunctionCode(sha256: package.sha256Base64, size: package.zip.count, directory: directory)
        if FileManager.default.fileExists(atPath: directory) {
            return Stored(code: code, created: false)
        }
        // Unpack beside the final place and rename, so that the directory either holds the whole
        // package or does not exist.
        let staging = functionDirectory(functionName) + "/.staging-" + UUID().uuidString
        do {
            try FileManager.default.createDirectory(atPath: functionDirectory(functionName), withIntermediateDirectories: true)
        } catch {
            throw LambdaErrors.service("Cannot create \(functionDirectory(functionName)): \(error.localizedDescription)")
        }
        try FunctionCodeArchive.unpack(package.zip, into: staging, maxUnzippedBytes: maxUnzippedBytes)
        // The zip itself is kept beside the directory: GetFunction's `Code.Location` serves it.
        do {
            try package.zip.write(to: URL(fileURLWithPath: directory + ".zip"), options: .atomic)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw LambdaErrors.service("Cannot keep the function's package at \(directory).zip: \(error.localizedDescription)")
        }
        if rename(staging, directory) != 0 {
            try? FileManager.default.removeItem(atPath: staging)
            // Another upload of the same package won the race: its directory is as good.
            guard FileManager.default.fileExists(atPath: directory) else {
                throw LambdaErrors.service("Cannot move the function's code into \(directory)")
            }
            return Stored(code: code, created: false)
        }
        return Stored(code: code, created: true)
    }

    /// Removes every package directory of `functionName` except those in `keep`. Called after a
    /// code update commits with the new and the previous directory kept: an invocation that
    /// started on the previous code may still be reading it.
    func prune(functionName: String, keeping keep: Set<String>) {
        let directory = functionDirectory(functionName)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names {
            let path = directory + "/" + name
            if keep.contains(path) || (name.hasSuffix(".zip") && keep.contains(String(path.dropLast(4)))) { continue }
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }

    /// Removes what a crash between unpacking and committing can leave behind: the directories of
    /// functions the store does not have, unfinished staging directories, and packages other than
    /// each function's current one. Only names this storage writes are touched.
    func removeLeftovers(keeping functions: [LambdaFunctionDocument]) {
        let current = Dictionary(functions.map { ($0.functionName, $0.code.directory) }) { first, _ in first }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        for name in names where LambdaFunctionReference.isValidName(name) {
            if let directory = current[name] {
                prune(functionName: name, keeping: [directory])
            } else {
                removeAll(functionName: name)
            }
        }
    }

    /// Removes everything stored for `functionName` (DeleteFunction, reset).
    func removeAll(functionName: String) {
        try? FileManager.default.removeItem(atPath: functionDirectory(functionName))
    }

    func remove(_ stored: Stored) {
        guard stored.created else { return }
        try? FileManager.default.removeItem(atPath: stored.code.directory)
        try? FileManager.default.removeItem(atPath: stored.code.directory + ".zip")
    }

    /// The kept zip of a package, for `Code.Location`; nil when there is none.
    func zipPath(functionName: String, sha256Hex: String) -> String? {
        guard LambdaFunctionReference.isValidName(functionName), sha256Hex.count == 64,
            sha256Hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase })
        else { return nil }
        let path = functionDirectory(functionName) + "/" + sha256Hex + ".zip"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}

extension FunctionCodeStorage {
    init(_ configuration: ManagementConfiguration) {
        self.init(root: configuration.functionCodeDirectory, maxUnzippedBytes: configuration.maxFunctionUnzippedBytes)
    }
}
