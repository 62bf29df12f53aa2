public import Foundation

/// The calendar of a usage plan's quota, in UTC days counted from 1970-01-01 ("epoch days").
///
/// `offset` is read as the SDK documentation of `QuotaSettings.offset` describes it: "the day that a time period
/// starts. For example, with a time period of WEEK, an offset of 0 starts on Sunday, and an offset of 1 starts on
/// Monday" — so for `MONTH`, offset `n` starts the period on day `n + 1` of the month. (The current API reference
/// words `offset` as "the number of requests subtracted from the given limit in the initial time period"; Portico
/// follows the day reading, a guess that is written down in docs/USAGE_PLANS.md.)
public enum QuotaPeriod: String, Sendable, Equatable {
    case day = "DAY"
    case week = "WEEK"
    case month = "MONTH"

    /// The largest offset each period takes.
    public var maximumOffset: Int {
        switch self {
        case .day: 0
        case .week: 6
        case .month: 27
        }
    }

    /// The epoch day on which the period containing `day` began.
    public func start(containing day: Int, offset: Int) -> Int {
        switch self {
        case .day:
            return day
        case .week:
            // 1970-01-01 was a Thursday: weekday (Sunday = 0) is (day + 4) mod 7.
            let weekday = Self.modulo(day + 4, 7)
            return day - Self.modulo(weekday - offset, 7)
        case .month:
            let (year, month, dayOfMonth) = Self.civil(fromEpochDay: day)
            let startDay = offset + 1
            if dayOfMonth >= startDay { return Self.epochDay(year: year, month: month, day: startDay) }
            let (previousYear, previousMonth) = month == 1 ? (year - 1, 12) : (year, month - 1)
            return Self.epochDay(year: previousYear, month: previousMonth, day: startDay)
        }
    }

    /// The UTC epoch day of `date`.
    public static func epochDay(of date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// `yyyy-MM-dd` of an epoch day.
    public static func dayText(_ day: Int) -> String {
        let (year, month, dayOfMonth) = civil(fromEpochDay: day)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(dayOfMonth))"
    }

    /// The epoch day of a `yyyy-MM-dd` text, or `nil` when it is not one.
    public static func epochDay(ofText text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let result = epochDay(year: year, month: month, day: day)
        // Refuses 2026-02-30 and the like: the day must come back as written.
        guard civil(fromEpochDay: result) == (year, month, day) else { return nil }
        return result
    }

    private static func modulo(_ value: Int, _ divisor: Int) -> Int {
        let remainder = value % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }

    /// Days from civil (proleptic Gregorian), Howard Hinnant's algorithm.
    static func epochDay(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromEpochDay days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
