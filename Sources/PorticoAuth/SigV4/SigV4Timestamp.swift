import Foundation

/// A request time in SigV4's ISO-8601 basic form (`20240102T030405Z`), with whole seconds.
///
/// Parsed and printed by hand, in UTC, so that neither the locale nor `DateFormatter`'s leniency
/// can change what a signature covers.
struct SigV4Timestamp: Sendable, Equatable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    var secondsSince1970: Int64

    init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// `date`, truncated to the second.
    init(_ date: Date) {
        self.secondsSince1970 = Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// Parses exactly `YYYYMMDD'T'HHMMSS'Z'`, rejecting impossible dates.
    init?(basicFormat text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z"),
            let year = Self.number(bytes[0..<4]), let month = Self.number(bytes[4..<6]),
            let day = Self.number(bytes[6..<8]), let hour = Self.number(bytes[9..<11]),
            let minute = Self.number(bytes[11..<13]), let second = Self.number(bytes[13..<15])
        else { return nil }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: 0)
    }

    /// Parses an HTTP `Date` header: RFC 7231's `Tue, 02 Jan 2024 03:04:05 GMT`, or the
    /// `-0000`/`+HHMM` zone that botocore's `email.utils.formatdate` writes.
    init?(httpDate text: String) {
        var fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if let first = fields.first, first.hasSuffix(",") { fields.removeFirst() }
        guard fields.count == 5, let day = Int(fields[0]), let year = Int(fields[2]),
            let month = Self.months.firstIndex(of: fields[1].lowercased()).map({ $0 + 1 })
        else { return nil }
        let clock = fields[3].split(separator: ":")
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
            let offset = Self.zoneOffset(fields[4])
        else { return nil }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }

    private init?(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offset: Int) {
        guard (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        self.secondsSince1970 = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
    }

    /// `YYYYMMDD'T'HHMMSS'Z'`.
    var basicFormat: String {
        let days = secondsSince1970.floorDivided(by: 86_400)
        let secondOfDay = Int(secondsSince1970 - days * 86_400)
        let (year, month, day) = Self.civilFromDays(days)
        return Self.pad(year, 4) + Self.pad(month, 2) + Self.pad(day, 2) + "T"
            + Self.pad(secondOfDay / 3600, 2) + Self.pad(secondOfDay / 60 % 60, 2) + Self.pad(secondOfDay % 60, 2) + "Z"
    }

    /// `YYYYMMDD`, the date element of the credential scope.
    var day: String { String(basicFormat.prefix(8)) }

    func adding(seconds: Int64) -> SigV4Timestamp {
        SigV4Timestamp(secondsSince1970: secondsSince1970 + seconds)
    }

    static func < (lhs: SigV4Timestamp, rhs: SigV4Timestamp) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }

    /// Seconds east of UTC for `GMT`, `UTC`, `UT`, `Z` or `±HHMM`.
    private static func zoneOffset(_ zone: String) -> Int? {
        if ["GMT", "UTC", "UT", "Z"].contains(zone.uppercased()) { return 0 }
        let bytes = Array(zone.utf8)
        guard bytes.count == 5, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-"),
            let hours = number(bytes[1..<3]), let minutes = number(bytes[3..<5]), minutes < 60
        else { return nil }
        let offset = hours * 3600 + minutes * 60
        return bytes[0] == UInt8(ascii: "-") ? -offset : offset
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of ``daysFromCivil(year:month:day:)`` (Hinnant's `civil_from_days`).
    private static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension Int64 {
    /// Division rounding toward negative infinity, for dates before 1970.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
