import Foundation

/// Real zip files for the tests, written by Python's `zipfile` (a different implementation from
/// the one that reads them), including the malformed and hostile ones no zip tool would make.
enum TestZip {
    struct Entry {
        var name: String
        var contents: String = ""
        /// The Unix permission bits recorded in the external attributes.
        var mode: Int = 0o644
        var isSymlink = false
        var isDirectory = false
    }

    static func file(_ name: String, _ contents: String, mode: Int = 0o644) -> Entry {
        Entry(name: name, contents: contents, mode: mode)
    }

    static func symlink(_ name: String, to target: String) -> Entry {
        Entry(name: name, contents: target, mode: 0o777, isSymlink: true)
    }

    static func directory(_ name: String) -> Entry {
        Entry(name: name.hasSuffix("/") ? name : name + "/", mode: 0o755, isDirectory: true)
    }

    /// A deflated zip holding `entries`, with Unix modes in the external attributes. With
    /// `zip64`, Python's ZIP64 threshold is lowered so that the sizes, offsets and the end record
    /// take their ZIP64 forms even for a small file.
    static func make(_ entries: [Entry], zip64: Bool = false) throws -> Data {
        let spec = entries.map { entry -> [String: Any] in
            ["name": entry.name, "contents": entry.contents, "mode": entry.mode, "symlink": entry.isSymlink, "dir": entry.isDirectory]
        }
        let script = """
            import io, json, sys, zipfile, stat
            spec = json.load(sys.stdin)
            if \(zip64 ? "True" : "False"):
                zipfile.ZIP64_LIMIT = 100
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                for entry in spec:
                    info = zipfile.ZipInfo(entry["name"], date_time=(2024, 1, 2, 3, 4, 5))
                    info.create_system = 3
                    kind = stat.S_IFLNK if entry["symlink"] else (stat.S_IFDIR if entry["dir"] else stat.S_IFREG)
                    info.external_attr = (kind | entry["mode"]) << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, entry["contents"])
            sys.stdout.buffer.write(out.getvalue())
            """
        return try python(script, input: try JSONSerialization.data(withJSONObject: spec))
    }

    /// `count` bytes of zeros in one entry: a tiny zip that unpacks to a lot. With `claiming`,
    /// the central directory understates the unpacked size (a zip bomb's trick).
    static func zeros(_ name: String, count: Int, claiming claimed: Int? = nil) throws -> Data {
        let script = """
            import io, struct, sys, zipfile
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("\(name)", bytes(\(count)))
            data = bytearray(out.getvalue())
            if \(claimed.map(String.init) ?? "None") is not None:
                directory = data.rfind(b"PK\\x01\\x02")
                struct.pack_into("<I", data, directory + 24, \(claimed.map(String.init) ?? "0"))
            sys.stdout.buffer.write(bytes(data))
            """
        return try python(script, input: Data())
    }

    private static func python(_ script: String, input: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "python3 could not build the zip"])
        }
        return data
    }
}
