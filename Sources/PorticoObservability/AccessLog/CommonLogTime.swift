/// Writes `$context.requestTime`: Common Log Format time, `dd/MMM/yyyy:HH:mm:ss +0000`, always in UTC.
///
/// Computed arithmetically (days-to-civil-date, after Howard Hinnant's `civil_from_days`) rather than with
/// a `DateFormatter`, which allocates and takes a lock: this runs for every logged request.
enum CommonLogTime {
    private static let monthNames: [[UInt8]] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ].map { Array($0.utf8) }

    /// Appends the instant `epochMillis` truncated (toward the past) to the second.
    static func append(epochMillis: Int64, into buffer: inout [UInt8]) {
        let seconds = floorDivide(epochMillis, 1000)
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)

        appendTwoDigits(day, into: &buffer)
        buffer.append(UInt8(ascii: "/"))
        buffer.append(contentsOf: monthNames[month - 1])
        buffer.append(UInt8(ascii: "/"))
        if year >= 0 && year < 1000 {
            // Zero-pad to four digits; only reachable for nonsense times, but keeps the width fixed.
            buffer.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: year < 10 ? 3 : year < 100 ? 2 : 1))
        }
        buffer.appendDecimal(Int(year))
        buffer.append(UInt8(ascii: ":"))
        appendTwoDigits(secondOfDay / 3600, into: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendTwoDigits(secondOfDay / 60 % 60, into: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendTwoDigits(secondOfDay % 60, into: &buffer)
        buffer.append(contentsOf: " +0000".utf8)
    }

    /// Proleptic Gregorian (year, month 1...12, day 1...31) of a day count since 1970-01-01.
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153  // March-based
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor < 0) ? quotient - 1 : quotient
    }

    private static func appendTwoDigits(_ value: Int, into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / 10))
        buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10))
    }
}
