/// Writes `$context.requestTime`: Common Log Format time, `dd/MMM/yyyy:HH:mm:ss +0000`, always in UTC.
///
/// Computed arithmetically (days-to-civil-date, after Howard Hinnant's `civil_from_days`) rather than with
/// a `DateFormatter`, which allocates and takes a lock: this runs for every logged request.
public enum CommonLogTime {
    /// `dd/MMM/yyyy:HH:mm:ss +0000` with the widest year an `Int64` of milliseconds can hold.
    static let maximumLength = 40

    /// Writes the instant `epochMillis` truncated (toward the past) to the second.
    static func write(epochMillis: Int64, to buffer: inout ByteCursor) {
        let seconds = floorDivide(epochMillis, 1000)
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)

        buffer.writeTwoDigits(day)
        buffer.write(UInt8(ascii: "/"))
        writeMonthName(month, to: &buffer)
        buffer.write(UInt8(ascii: "/"))
        if year >= 0 && year < 1000 {
            // Zero-pad to four digits; only reachable for nonsense times, but keeps the width fixed.
            for _ in 0..<(year < 10 ? 3 : year < 100 ? 2 : 1) {
                buffer.write(UInt8(ascii: "0"))
            }
        }
        buffer.writeDecimal(year)
        buffer.write(UInt8(ascii: ":"))
        buffer.writeTwoDigits(secondOfDay / 3600)
        buffer.write(UInt8(ascii: ":"))
        buffer.writeTwoDigits(secondOfDay / 60 % 60)
        buffer.write(UInt8(ascii: ":"))
        buffer.writeTwoDigits(secondOfDay % 60)
        buffer.write(UInt8(ascii: " "))
        buffer.write(UInt8(ascii: "+"))
        for _ in 0..<4 {
            buffer.write(UInt8(ascii: "0"))
        }
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

    private static func writeMonthName(_ month: Int, to buffer: inout ByteCursor) {
        // A switch rather than a table: no global to initialise and no array to retain per call.
        let name: StaticString
        switch month {
        case 1: name = "Jan"
        case 2: name = "Feb"
        case 3: name = "Mar"
        case 4: name = "Apr"
        case 5: name = "May"
        case 6: name = "Jun"
        case 7: name = "Jul"
        case 8: name = "Aug"
        case 9: name = "Sep"
        case 10: name = "Oct"
        case 11: name = "Nov"
        default: name = "Dec"
        }
        buffer.write(name)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor < 0) ? quotient - 1 : quotient
    }
}
