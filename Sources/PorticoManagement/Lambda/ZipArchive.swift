import CZlib
import Foundation

/// A zip file read from memory: the central directory (PKWARE's APPNOTE 6.3, with ZIP64) and
/// each entry's data, stored or deflated, inflated in chunks by zlib with its CRC-32 and size
/// checked against the directory. Just what unpacking a Lambda deployment package needs; anything
/// else (encryption, other compression methods, multi-disk archives) is refused.
struct ZipArchive {
    struct Entry {
        /// The name as recorded (UTF-8, or each byte as a Latin-1 character when it is not).
        var path: String
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
        /// The upper byte names the system that made the entry (3 is Unix).
        var versionMadeBy: UInt16
        var externalAttributes: UInt32

        /// The Unix mode (type and permission bits) when a Unix tool made the entry.
        var unixMode: UInt32? {
            let system = versionMadeBy >> 8
            guard system == 3 || system == 19 else { return nil }  // Unix, OS X
            let mode = externalAttributes >> 16
            return mode == 0 ? nil : mode
        }

        var isDirectory: Bool {
            if let mode = unixMode, mode & 0o170000 != 0 { return mode & 0o170000 == 0o040000 }
            return path.hasSuffix("/") || path.hasSuffix("\\") || externalAttributes & 0x10 != 0
        }

        var isSymlink: Bool {
            guard let mode = unixMode else { return false }
            return mode & 0o170000 == 0o120000
        }
    }

    struct Malformed: Error {}

    private let bytes: [UInt8]
    let entries: [Entry]

    init(_ data: Data) throws(Malformed) {
        bytes = Array(data)
        entries = try Self.readDirectory(bytes)
    }

    /// Calls `consumer` with the entry's data in chunks, then checks its size and CRC-32.
    func read(_ entry: Entry, _ consumer: (UnsafeRawBufferPointer) throws -> Void) throws {
        let start = try dataStart(of: entry)
        guard start <= bytes.count, entry.compressedSize <= bytes.count - start else { throw Malformed() }
        var crc: uLong = CZlib.crc32(0, nil, 0)
        var produced = 0
        func check(_ chunk: UnsafeRawBufferPointer) throws {
            produced += chunk.count
            // More than the directory promised: stop before writing it (a "zip bomb" whose
            // directory understates its size is cut off here).
            guard produced <= entry.uncompressedSize else { throw Malformed() }
            crc = CZlib.crc32(crc, chunk.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(chunk.count))
            try consumer(chunk)
        }
        try bytes.withUnsafeBytes { all in
            let input = UnsafeRawBufferPointer(rebasing: all[start..<start + entry.compressedSize])
            switch entry.method {
            case 0: try check(input)
            case 8: try Self.inflate(input, check)
            default: throw Malformed()
            }
        }
        guard produced == entry.uncompressedSize, UInt32(truncatingIfNeeded: crc) == entry.crc32 else { throw Malformed() }
    }

    /// The whole data of a small entry (a link's target).
    func data(_ entry: Entry) throws -> Data {
        var data = Data()
        try read(entry) { data.append(contentsOf: $0) }
        return data
    }

    // MARK: - Inflating

    private static func inflate(_ input: UnsafeRawBufferPointer, _ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        var stream = z_stream()
        // Negative window bits: a raw deflate stream, as zip stores it (no zlib header).
        guard inflateInit2_(&stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Malformed()
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let (status, count) = buffer.withUnsafeMutableBytes { out -> (Int32, Int) in
                stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(out.count)
                let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                return (status, out.count - Int(stream.avail_out))
            }
            if count > 0 {
                try buffer.withUnsafeBytes { try output(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            }
            switch status {
            case Z_STREAM_END: return
            case Z_OK: continue
            // Z_BUF_ERROR with output room left means the input ended before the stream did.
            default: throw Malformed()
            }
        }
    }

    // MARK: - The directory

    private func dataStart(of entry: Entry) throws(Malformed) -> Int {
        let offset = entry.localHeaderOffset
        guard offset <= bytes.count - 30, Self.u32(bytes, offset) == 0x0403_4b50 else { throw Malformed() }
        return offset + 30 + Int(Self.u16(bytes, offset + 26)) + Int(Self.u16(bytes, offset + 28))
    }

    private static func readDirectory(_ bytes: [UInt8]) throws(Malformed) -> [Entry] {
        guard bytes.count >= 22 else { throw Malformed() }
        // The end-of-central-directory record is last, followed by a comment of up to 64 KB.
        var end = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        while u32(bytes, end) != 0x0605_4b50 {
            guard end > lowest else { throw Malformed() }
            end -= 1
        }
        guard u16(bytes, end + 4) == 0, u16(bytes, end + 6) == 0 else { throw Malformed() }  // one disk only
        var count = Int(u16(bytes, end + 10))
        var directorySize = Int(u32(bytes, end + 12))
        var directoryOffset = Int(u32(bytes, end + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: a locator just before the record points at the ZIP64 end record.
            guard end >= 20, u32(bytes, end - 20) == 0x0706_4b50 else { throw Malformed() }
            let record = try int(u64(bytes, end - 12))
            guard record <= bytes.count - 56, u32(bytes, record) == 0x0606_4b50 else { throw Malformed() }
            count = try int(u64(bytes, record + 32))
            directorySize = try int(u64(bytes, record + 40))
            directoryOffset = try int(u64(bytes, record + 48))
        }
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else { throw Malformed() }

        var entries: [Entry] = []
        entries.reserveCapacity(min(count, 65536))
        var position = directoryOffset
        for _ in 0..<count {
            guard position <= bytes.count - 46, u32(bytes, position) == 0x0201_4b50 else { throw Malformed() }
            let flags = u16(bytes, position + 8)
            guard flags & 0x0001 == 0 else { throw Malformed() }  // encrypted
            let nameLength = Int(u16(bytes, position + 28))
            let extraLength = Int(u16(bytes, position + 30))
            let commentLength = Int(u16(bytes, position + 32))
            let next = position + 46 + nameLength + extraLength + commentLength
            guard next <= bytes.count else { throw Malformed() }
            let nameBytes = bytes[(position + 46)..<(position + 46 + nameLength)]
            var entry = Entry(
                path: String(validating: nameBytes, as: UTF8.self) ?? String(nameBytes.map { Character(Unicode.Scalar($0)) }),
                method: u16(bytes, position + 10), crc32: u32(bytes, position + 16),
                compressedSize: Int(u32(bytes, position + 20)), uncompressedSize: Int(u32(bytes, position + 24)),
                localHeaderOffset: Int(u32(bytes, position + 42)), versionMadeBy: u16(bytes, position + 4),
                externalAttributes: u32(bytes, position + 38))
            try readZip64Extra(bytes[(position + 46 + nameLength)..<(position + 46 + nameLength + extraLength)], into: &entry)
            entries.append(entry)
            position = next
        }
        return entries
    }

    /// The ZIP64 extended information (extra field 0x0001): the 64-bit values of whichever sizes
    /// and offset are 0xFFFFFFFF in the directory, in that order.
    private static func readZip64Extra(_ extra: ArraySlice<UInt8>, into entry: inout Entry) throws(Malformed) {
        var position = extra.startIndex
        while position + 4 <= extra.endIndex {
            let id = u16(extra, position)
            let size = Int(u16(extra, position + 2))
            let body = position + 4
            guard body + size <= extra.endIndex else { throw Malformed() }
            if id == 0x0001 {
                var field = body
                func next() throws(Malformed) -> Int {
                    guard field + 8 <= body + size else { throw Malformed() }
                    defer { field += 8 }
                    return try int(u64(extra, field))
                }
                if entry.uncompressedSize == 0xFFFF_FFFF { entry.uncompressedSize = try next() }
                if entry.compressedSize == 0xFFFF_FFFF { entry.compressedSize = try next() }
                if entry.localHeaderOffset == 0xFFFF_FFFF { entry.localHeaderOffset = try next() }
            }
            position = body + size
        }
    }

    private static func int(_ value: UInt64) throws(Malformed) -> Int {
        guard value <= UInt64(Int32.max) * 64 else { throw Malformed() }  // far beyond any package
        return Int(value)
    }

    private static func u16<C: RandomAccessCollection<UInt8>>(_ bytes: C, _ offset: C.Index) -> UInt16 where C.Index == Int {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    private static func u32<C: RandomAccessCollection<UInt8>>(_ bytes: C, _ offset: C.Index) -> UInt32 where C.Index == Int {
        UInt32(u16(bytes, offset)) | UInt32(u16(bytes, offset + 2)) << 16
    }

    private static func u64<C: RandomAccessCollection<UInt8>>(_ bytes: C, _ offset: C.Index) -> UInt64 where C.Index == Int {
        UInt64(u32(bytes, offset)) | UInt64(u32(bytes, offset + 4)) << 32
    }
}
