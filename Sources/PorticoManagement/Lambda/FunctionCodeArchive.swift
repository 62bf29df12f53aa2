import Foundation
import PorticoModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unpacks a Lambda deployment package (a zip, read by ``ZipArchive``) into a directory, as
/// carefully as code from the network deserves: every entry's path must stay inside the directory
/// (no absolute paths, no `..`), symbolic links may only point down into it, the bytes actually
/// written are counted against the unzipped-size quota (the sizes in the headers are the
/// uploader's claim), and each file keeps the permission bits of the zip's external attributes,
/// so that a `provided` runtime's `bootstrap` stays executable.
enum FunctionCodeArchive {
    /// Lambda's quota for the unzipped deployment package (250 MB).
    static let defaultMaxUnzippedBytes = 262_144_000

    /// Unpacks `zip` into `directory`, which must not exist yet. On failure nothing is left behind.
    ///
    /// - Throws: `InvalidParameterValueException` "Could not unzip uploaded file..." for anything
    ///   that is not a readable zip or that tries to leave the directory; "Unzipped size must be
    ///   smaller than N bytes" past the quota.
    static func unpack(_ zip: Data, into directory: String, maxUnzippedBytes: Int) throws(APIError) {
        let archive: ZipArchive
        do {
            archive = try ZipArchive(zip)
        } catch {
            throw LambdaErrors.cannotUnzip
        }
        let entries = archive.entries
        // Lambda refuses an empty package as it refuses a broken one.
        guard !entries.isEmpty else { throw LambdaErrors.cannotUnzip }
        // The directory's claim first (cheap), the bytes actually written below.
        let declared = entries.reduce(0) { $0 + $1.uncompressedSize }
        guard declared <= maxUnzippedBytes else { throw unzippedTooLarge(maxUnzippedBytes) }

        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        } catch {
            throw LambdaErrors.service("Cannot create the function's code directory \(directory): \(error.localizedDescription)")
        }
        do {
            try extract(entries, from: archive, into: directory, maxUnzippedBytes: maxUnzippedBytes)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    static func unzippedTooLarge(_ limit: Int) -> APIError {
        // AWS's wording (as LocalStack's snapshot tests record it).
        LambdaErrors.invalidParameter("Unzipped size must be smaller than \(limit) bytes")
    }

    private static func extract(
        _ entries: [ZipArchive.Entry], from archive: ZipArchive, into root: String, maxUnzippedBytes: Int
    ) throws(APIError) {
        var written = 0
        var links: [(path: [String], target: String)] = []
        for entry in entries {
            guard let components = safeComponents(entry.path) else { throw LambdaErrors.cannotUnzip }
            if components.isEmpty { continue }
            let path = root + "/" + components.joined(separator: "/")
            if entry.isDirectory {
                try makeDirectories(path)
            } else if entry.isSymlink {
                let target: Data
                do {
                    target = try archive.data(entry)
                } catch {
                    throw LambdaErrors.cannotUnzip
                }
                guard let text = String(data: target, encoding: .utf8) else { throw LambdaErrors.cannotUnzip }
                links.append((components, text))
            } else {
                try makeDirectories((path as NSString).deletingLastPathComponent)
                try writeFile(entry, from: archive, to: path, mode: permissions(of: entry), written: &written, limit: maxUnzippedBytes)
            }
        }
        // Links last, so that no entry is ever written through one.
        for link in links {
            try makeLink(link.path, target: link.target, root: root)
        }
    }

    /// The entry's path split into components, or nil when it would leave the directory. Zips
    /// made on Windows may use `\` as a separator, so it counts as one here.
    static func safeComponents(_ path: String) -> [String]? {
        if path.hasPrefix("/") || path.hasPrefix("\\") { return nil }
        var components: [String] = []
        for component in path.split(whereSeparator: { $0 == "/" || $0 == "\\" }) {
            switch component {
            case ".": continue
            case "..": return nil
            default:
                if component.contains("\0") { return nil }
                // A drive letter (`C:`) makes a Windows path absolute.
                if components.isEmpty && component.count == 2 && component.hasSuffix(":") { return nil }
                components.append(String(component))
            }
        }
        return components
    }

    /// The POSIX permission bits the zip recorded in the external attributes of an entry made on
    /// Unix (0644 otherwise), with the owner always able to read and write so that Portico can
    /// remove the code later.
    private static func permissions(of entry: ZipArchive.Entry) -> mode_t {
        let recorded = entry.unixMode.map { mode_t($0 & 0o777) } ?? 0o644
        return recorded | 0o600
    }

    private static func makeDirectories(_ path: String) throws(APIError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        } catch {
            // A file already stands where the zip wants a directory.
            throw LambdaErrors.cannotUnzip
        }
    }

    private static func writeFile(
        _ entry: ZipArchive.Entry, from archive: ZipArchive, to path: String, mode: mode_t, written: inout Int, limit: Int
    ) throws(APIError) {
        // O_NOFOLLOW: never write through a link (none exists yet, but the rule should not
        // depend on the order of the loop above).
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw LambdaErrors.cannotUnzip }
        defer { close(descriptor) }
        var total = written
        var exceeded = false
        var failedWrite = false
        do {
            // `read` checks the entry's size and CRC-32 once it has all of it.
            try archive.read(entry) { chunk in
                total += chunk.count
                if total > limit {
                    exceeded = true
                    throw ZipArchive.Malformed()
                }
                var offset = 0
                while offset < chunk.count {
                    let count = write(descriptor, chunk.baseAddress! + offset, chunk.count - offset)
                    if count < 0 {
                        if errno == EINTR { continue }
                        failedWrite = true
                        throw ZipArchive.Malformed()
                    }
                    offset += count
                }
            }
        } catch {
            if exceeded { throw unzippedTooLarge(limit) }
            if failedWrite { throw LambdaErrors.service("Cannot write the function's code to \(path)") }
            throw LambdaErrors.cannotUnzip
        }
        // open's mode is filtered by the umask; the zip's bits are wanted exactly.
        fchmod(descriptor, mode)
        written = total
    }

    /// Creates a symbolic link whose target is relative and goes only downwards (no `..`, not
    /// absolute). Lambda itself allows any target; this is stricter because a `..` can only be
    /// proven harmless by resolving every link on the way, and no runtime's package needs one.
    private static func makeLink(_ components: [String], target: String, root: String) throws(APIError) {
        guard !target.isEmpty, !target.hasPrefix("/"),
            !target.split(separator: "/").contains("..")
        else { throw LambdaErrors.cannotUnzip }
        let path = root + "/" + components.joined(separator: "/")
        try makeDirectories((path as NSString).deletingLastPathComponent)
        guard symlink(target, path) == 0 else { throw LambdaErrors.cannotUnzip }
    }
}
