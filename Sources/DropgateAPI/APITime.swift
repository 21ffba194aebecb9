/// ISO 8601 times in UTC (`2026-12-01T08:00:00Z`), written and read with integer arithmetic: they are on
/// the upload path, where `DateFormatter` and `ISO8601DateFormatter` cost tens of microseconds.
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

    /// Seconds since 1970 of `yyyy-MM-dd'T'HH:mm:ss'Z'`, optionally with a fraction (`.123`) that is dropped;
    /// nil when malformed.
    public static func parseISO8601(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A, bytes[16] == 0x3A,
            bytes.last == 0x5A
        else { return nil }
        if bytes.count > 20 {
            guard bytes[19] == 0x2E, bytes.count > 21, bytes[20..<(bytes.count - 1)].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        }
        func number(_ start: Int, _ width: Int) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[start..<(start + width)] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
            second < 60
        else { return nil }
        let days = daysSince1970(year: year, month: month, day: day)
        guard civil(fromDays: days) == (year, month, day) else { return nil }  // 2026-02-30 is not a day
        return days * 86_400 + hour * 3_600 + minute * 60 + second
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

    /// Howard Hinnant's `days_from_civil`.
    static func daysSince1970(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
