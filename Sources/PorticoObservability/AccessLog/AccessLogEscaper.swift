/// Escapes substituted access-log values for the kind of format they sit in (see ``AccessLogFormat``).
enum AccessLogEscaper {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func append(_ bytes: UnsafeBufferPointer<UInt8>, escaping: AccessLogFormat.Escaping, into buffer: inout [UInt8]) {
        // Copy clean runs in one go; ids, methods, paths and addresses almost never need escaping.
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard needsEscaping(byte, escaping) else {
                continue
            }
            if runStart < index {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            }
            appendEscape(for: byte, escaping, into: &buffer)
            runStart = index + 1
        }
        if runStart < bytes.count {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
    }

    @inline(__always)
    private static func needsEscaping(_ byte: UInt8, _ escaping: AccessLogFormat.Escaping) -> Bool {
        if byte < 0x20 {
            return true
        }
        switch escaping {
        case .json:
            return byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
        case .text:
            return byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F
        case .xml:
            return byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<")
                || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "'")
        }
    }

    private static func appendEscape(for byte: UInt8, _ escaping: AccessLogFormat.Escaping, into buffer: inout [UInt8]) {
        switch escaping {
        case .json:
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): buffer.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): buffer.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): buffer.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): buffer.append(contentsOf: #"\t"#.utf8)
            default:
                buffer.append(contentsOf: #"\u00"#.utf8)
                appendHex(byte, into: &buffer)
            }
        case .text:
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): buffer.append(contentsOf: #"\\"#.utf8)
            default:
                buffer.append(contentsOf: #"\x"#.utf8)
                appendHex(byte, into: &buffer)
            }
        case .xml:
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "&"): buffer.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): buffer.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): buffer.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "'"): buffer.append(contentsOf: "&apos;".utf8)
            case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                buffer.append(contentsOf: "&#".utf8)
                buffer.appendDecimal(Int(byte))
                buffer.append(UInt8(ascii: ";"))
            default:
                // XML 1.0 allows no other control character, not even as a reference.
                buffer.append(contentsOf: "&#xFFFD;".utf8)
            }
        }
    }

    private static func appendHex(_ byte: UInt8, into buffer: inout [UInt8]) {
        buffer.append(hexDigits[Int(byte >> 4)])
        buffer.append(hexDigits[Int(byte & 0x0F)])
    }
}
