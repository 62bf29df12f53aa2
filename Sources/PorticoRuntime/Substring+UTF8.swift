/// Byte-level searches for the request path: `Character`-based `firstIndex(of:)` and
/// `hasPrefix` do grapheme breaking and Unicode comparison, which a profile of the data plane
/// showed as a real cost. Paths, hosts and separators are ASCII; these compare bytes.
extension Substring {
    @inlinable
    package func firstIndex(ofByte byte: UInt8) -> Index? {
        utf8.firstIndex(of: byte)
    }

    @inlinable
    package func hasBytePrefix(_ prefix: String) -> Bool {
        var prefix = prefix
        return prefix.withUTF8 { expected in
            guard utf8.count >= expected.count else { return false }
            var index = 0
            for byte in utf8 {
                if index == expected.count { return true }
                if byte != expected[index] { return false }
                index += 1
            }
            return index == expected.count
        }
    }

    /// The rest after dropping leading `/`s.
    @inlinable
    package func droppingLeadingSlashes() -> Substring {
        var start = startIndex
        let slash = UInt8(ascii: "/")
        while start < endIndex, utf8[start] == slash { start = utf8.index(after: start) }
        return self[start...]
    }
}
