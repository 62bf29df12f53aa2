import Foundation
import PorticoModel
import Testing

@testable import PorticoManagement

/// Unpacking deployment packages: real zips made by Python's `zipfile`, hostile ones included.
struct FunctionCodeArchiveTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("portico-zip-\(UUID().uuidString)").path

    init() throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    private func unpack(_ zip: Data, limit: Int = FunctionCodeArchive.defaultMaxUnzippedBytes) throws(APIError) -> String {
        let target = root + "/code"
        try FunctionCodeArchive.unpack(zip, into: target, maxUnzippedBytes: limit)
        return target
    }

    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func unpacksFilesDirectoriesAndKeepsTheExecutableBit() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let zip = try TestZip.make([
            TestZip.file("bootstrap", "#!/bin/sh\necho hi\n", mode: 0o755),
            TestZip.directory("lib"),
            TestZip.file("lib/app.py", "def handler(e, c):\n    return e\n"),
            TestZip.file("./data/deep/x.txt", "x"),
        ])
        let target = try unpack(zip)
        #expect(try mode(target + "/bootstrap") & 0o777 == 0o755)
        #expect(try mode(target + "/lib/app.py") & 0o111 == 0)
        #expect(FileManager.default.contents(atPath: target + "/lib/app.py") == Data("def handler(e, c):\n    return e\n".utf8))
        #expect(FileManager.default.contents(atPath: target + "/data/deep/x.txt") == Data("x".utf8))
    }

    @Test func zip64RecordsAreRead() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let contents = String(repeating: "zip64 ", count: 100)
        let zip = try TestZip.make([TestZip.file("big.txt", contents), TestZip.file("b/small.txt", "s")], zip64: true)
        #expect(zip.range(of: Data([0x50, 0x4B, 0x06, 0x06])) != nil)  // the ZIP64 end record is there
        let target = try unpack(zip)
        #expect(FileManager.default.contents(atPath: target + "/big.txt") == Data(contents.utf8))
        #expect(FileManager.default.contents(atPath: target + "/b/small.txt") == Data("s".utf8))
    }

    @Test func aDirectoryThatUnderstatesTheSizeIsCutOff() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let zip = try TestZip.zeros("bomb.bin", count: 1_000_000, claiming: 1000)
        #expect(throws: LambdaErrors.cannotUnzip) { _ = try unpack(zip) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
    }

    @Test func aLinkThatPointsDownIsKept() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let zip = try TestZip.make([TestZip.file("real/app.py", "print(1)"), TestZip.symlink("app.py", to: "real/app.py")])
        let target = try unpack(zip)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: target + "/app.py") == "real/app.py")
    }

    @Test(arguments: [
        [TestZip.file("../escape.txt", "x")],
        [TestZip.file("/etc/escape.txt", "x")],
        [TestZip.file("a/../../escape.txt", "x")],
        [TestZip.file("..\\escape.txt", "x")],
        [TestZip.symlink("link", to: "../outside")],
        [TestZip.symlink("link", to: "/etc/passwd")],
        [TestZip.symlink("dir", to: "real"), TestZip.file("dir/x.txt", "x")],
    ])
    func entriesThatLeaveTheDirectoryAreRefused(_ entries: [TestZip.Entry]) throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let zip = try TestZip.make(entries)
        #expect(throws: LambdaErrors.cannotUnzip) { _ = try unpack(zip) }
        // Nothing is left behind, inside or beside the directory.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: root + "/../escape.txt"))
    }

    @Test(arguments: [Data(), Data("not a zip at all".utf8), Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0])])
    func bytesThatAreNotAZipAreRefused(_ bytes: Data) throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(throws: LambdaErrors.cannotUnzip) { _ = try unpack(bytes) }
    }

    @Test func aTruncatedZipIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let zip = try TestZip.make([TestZip.file("app.py", String(repeating: "print('hello')\n", count: 200))])
        #expect(throws: LambdaErrors.cannotUnzip) { _ = try unpack(zip.prefix(zip.count / 2)) }
    }

    @Test func damagedContentsAreRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        var zip = try TestZip.make([TestZip.file("app.py", String(repeating: "x = 1\n", count: 400))])
        // The entry's compressed bytes start after the 30-byte local header and the name.
        zip.replaceSubrange(40..<60, with: Data(count: 20))
        #expect(throws: LambdaErrors.cannotUnzip) { _ = try unpack(zip) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
    }

    @Test func theUnzippedQuotaCountsTheBytesWritten() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let zip = try TestZip.zeros("big.bin", count: 1_000_000)
        #expect(zip.count < 10_000)
        #expect(throws: FunctionCodeArchive.unzippedTooLarge(500_000)) { _ = try unpack(zip, limit: 500_000) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
        #expect(try mode(unpack(zip, limit: 1_000_000) + "/big.bin") >= 0)
    }

    @Test(arguments: [
        ("a/b.txt", ["a", "b.txt"]), ("./a/./b", ["a", "b"]), ("dir/", ["dir"]), ("a\\b", ["a", "b"]),
    ])
    func safeComponents(_ path: String, _ expected: [String]) {
        #expect(FunctionCodeArchive.safeComponents(path) == expected)
    }

    @Test(arguments: ["../a", "/a", "a/../../b", "C:/x", "a/..", "\\a"])
    func unsafeComponents(_ path: String) {
        #expect(FunctionCodeArchive.safeComponents(path) == nil)
    }
}
