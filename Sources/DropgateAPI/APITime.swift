/// ISO 8601 times in UTC (`2026-12-01T08:00:00Z`), written with integer arithmetic: they are on the upload
/// path, where `DateFormatter` and `ISO8601DateFormatter` cost tens of microseconds. (Reading them, which only
/// clients do, uses Foundation's `Date.ISO8601FormatStyle`.)
public enum APITime {
    /// `yyyy-MM-dd'T'HH:mm:ss'Z'` for a number of seconds since 1970.
    public static func iso8601(secondsSince1970 seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        var out: [UInt8] = []
        out.reserveCapacity(20)
        func put(_ value: Int64, _ width: Int) {
            var digits = [UInt8](repeating: 0x30, count: width)
            var rest = value
            for index in stride(from: width - 1, through: 0, by: -1) {
                digits[index] = 0x30 + UInt8(rest % 10)
                rest /= 10
            }
            out += digits
        }
        put(year, 4)
        out.append(0x2D)
        put(month, 2)
        out.append(0x2D)
        put(day, 2)
        out.append(0x54)
        put(second / 3_600, 2)
        out.append(0x3A)
        put(second / 60 % 60, 2)
        out.append(0x3A)
        put(second % 60, 2)
        out.append(0x5A)
        return String(decoding: out, as: UTF8.self)
    }

    /// Howard Hinnant's `civil_from_days`: the proleptic Gregorian date of a day number.
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
