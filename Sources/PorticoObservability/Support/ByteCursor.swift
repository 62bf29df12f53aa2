/// Writes bytes into memory sized beforehand: the access-log renderer computes an upper bound of the line's
/// length, reserves it once, and writes through this cursor, instead of paying `Array.append`'s capacity and
/// uniqueness checks for every piece of every line. Every write still checks the bound (`precondition`), so
/// an underestimate traps rather than corrupting memory.
struct ByteCursor {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private(set) var count = 0

    init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    @inline(__always)
    mutating func write(_ byte: UInt8) {
        precondition(count < capacity, "access-log line longer than its computed bound")
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else {
            return
        }
        precondition(count + bytes.count <= capacity, "access-log line longer than its computed bound")
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func write(_ text: StaticString) {
        text.withUTF8Buffer { write($0) }
    }

    /// At most 20 bytes (`-9223372036854775808`).
    mutating func writeDecimal(_ value: Int64) {
        if value < 0 {
            write(UInt8(ascii: "-"))
        }
        var magnitude = value.magnitude
        var digitCount = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            digitCount += 1
        }
        precondition(count + digitCount <= capacity, "access-log line longer than its computed bound")
        var index = count + digitCount
        repeat {
            index -= 1
            base[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        count += digitCount
    }

    mutating func writeDecimal(_ value: Int) {
        writeDecimal(Int64(value))
    }

    /// `value` (0...99) as exactly two digits.
    @inline(__always)
    mutating func writeTwoDigits(_ value: Int) {
        write(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / 10))
        write(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10))
    }
}
