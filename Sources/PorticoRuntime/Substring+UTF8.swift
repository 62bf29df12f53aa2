/// Byte-level searches for the request path: `Character`-based `firstIndex(of:)` and
/// `hasPrefix` do grapheme breaking and Unicode comparison, which a profile of the data plane
/// showed as a real cost. Paths, hosts and separators are ASCII; these compare bytes.
extension Substring {
    /// Searched in the contiguous bytes (a request's strings are native UTF-8): the generic
    /// `UTF8View.firstIndex(of:)` steps a `String.Index` per byte.
    @inlinable
    package func firstIndex(ofByte byte: UInt8) -> Index? {
        let utf8 = self.utf8
        let offset = utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            bytes.firstIndex(of: byte)
        }
        switch offset {
        case .some(.some(let offset)): return utf8.index(utf8.startIndex, offsetBy: offset)
        case .some(.none): return nil
        case .none: return utf8.firstIndex(of: byte)
        }
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

    /// Whether the two hold the same bytes, compared over contiguous storage where both have it.
    @inlinable
    package func hasSameBytes(as text: String) -> Bool {
        let utf8 = self.utf8
        let contiguous = utf8.withContiguousStorageIfAvailable { mine -> Bool in
            var text = text
            return text.withUTF8 { theirs in
                mine.count == theirs.count && mine.elementsEqual(theirs)
            }
        }
        return contiguous ?? utf8.elementsEqual(text.utf8)
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
