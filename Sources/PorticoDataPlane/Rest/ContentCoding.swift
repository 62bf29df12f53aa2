import CZlib

/// The content codings REST API payload compression supports (AWS: "Content codings supported by
/// API Gateway": `gzip`, `deflate` and `identity`), with zlib doing the work.
enum ContentCoding: Equatable {
    case gzip
    /// The zlib format (RFC 1950), as HTTP's `deflate` is defined; raw deflate is also accepted
    /// when decoding, since some clients send that.
    case deflate
    case identity

    init?(name: Substring) {
        switch name.lowercased() {
        case "gzip", "x-gzip": self = .gzip
        case "deflate": self = .deflate
        case "identity": self = .identity
        default: return nil
        }
    }

    var name: String {
        switch self {
        case .gzip: "gzip"
        case .deflate: "deflate"
        case .identity: "identity"
        }
    }

    /// The coding a response should use for this `Accept-Encoding`, or nil for none. AWS: the
    /// highest-priority coding must be one it supports, else nothing is compressed; without the
    /// header (which means `*`) nothing is compressed either. Among codings of equal weight the
    /// first listed wins (a browser's `gzip, deflate, br` gets gzip).
    static func preferred(acceptEncoding values: [String]) -> ContentCoding? {
        var best: (name: Substring, weight: Double)?
        for value in values {
            for member in value.split(separator: ",") {
                let parts = member.split(separator: ";")
                guard let first = parts.first else { continue }
                let name = first.trimmingSpaces()
                guard !name.isEmpty else { continue }
                var weight = 1.0
                for parameter in parts.dropFirst() {
                    let pair = parameter.trimmingSpaces()
                    if pair.lowercased().hasPrefix("q="), let q = Double(pair.dropFirst(2)) { weight = q }
                }
                if weight > 0, weight > (best?.weight ?? 0) { best = (name, weight) }
            }
        }
        guard let best, best.name != "*" else { return nil }
        return ContentCoding(name: best.name)
    }

    // MARK: zlib

    /// `bytes` compressed; nil only if zlib fails (it does not on valid input).
    func compress(_ bytes: [UInt8]) -> [UInt8]? {
        guard self != .identity else { return bytes }
        var stream = z_stream()
        // 15 window bits: zlib format; +16: gzip format. Level 6, zlib's default.
        let windowBits: Int32 = self == .gzip ? MAX_WBITS + 16 : MAX_WBITS
        guard deflateInit2_(&stream, 6, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { return nil }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        let status = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out -> Int32 in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                return CZlib.deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return nil }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }

    enum DecodeFailure: Error, Equatable {
        /// Not a valid stream of this coding.
        case malformed
        /// It decodes to more than the limit.
        case tooLarge
    }

    /// `bytes` decompressed, at most `limit` bytes of it.
    func decompress(_ bytes: [UInt8], limit: Int) -> Result<[UInt8], DecodeFailure> {
        switch self {
        case .identity:
            return .success(bytes)
        case .gzip:
            return Self.inflate(bytes, windowBits: MAX_WBITS + 16, limit: limit)
        case .deflate:
            let zlib = Self.inflate(bytes, windowBits: MAX_WBITS, limit: limit)
            if case .failure(.malformed) = zlib { return Self.inflate(bytes, windowBits: -MAX_WBITS, limit: limit) }
            return zlib
        }
    }

    private static func inflate(_ bytes: [UInt8], windowBits: Int32, limit: Int) -> Result<[UInt8], DecodeFailure> {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return .failure(.malformed) }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        return bytes.withUnsafeBufferPointer { input -> Result<[UInt8], DecodeFailure> in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, out.count - Int(stream.avail_out))
                }
                if produced > 0 {
                    guard output.count + produced <= limit else { return .failure(.tooLarge) }
                    output.append(contentsOf: chunk[0..<produced])
                }
                switch status {
                case Z_STREAM_END:
                    // Bytes after the end of the stream are not part of a valid body.
                    return stream.avail_in == 0 ? .success(output) : .failure(.malformed)
                case Z_OK:
                    continue
                default:
                    // Z_BUF_ERROR with room left: the input ended before the stream did.
                    return .failure(.malformed)
                }
            }
        }
    }
}
