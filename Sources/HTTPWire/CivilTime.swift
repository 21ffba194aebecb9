/// UTC calendar arithmetic on the proleptic Gregorian calendar, without Foundation's calendars or formatters: the
/// one home of date math for SigV4's timestamps and HTTP's `Date` headers.
public enum CivilTime {
    /// Seconds since 1970 of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7), read by position;
    /// nil when malformed (a wrong weekday name, month name, or a field out of range).
    public static func secondsSince1970(imfFixdate text: some StringProtocol) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 29, bytes[3] == 0x2C, bytes[4] == 0x20, bytes[7] == 0x20, bytes[11] == 0x20, bytes[16] == 0x20,
            bytes[19] == 0x3A, bytes[22] == 0x3A, bytes[25...] == [0x20, 0x47, 0x4D, 0x54][...],
            weekdays.contains(String(decoding: bytes[0..<3], as: UTF8.self)),
            let monthIndex = months.firstIndex(of: String(decoding: bytes[8..<11], as: UTF8.self)),
            let day = digits(bytes, 5, 2), let year = digits(bytes, 12, 4), let hour = digits(bytes, 17, 2),
            let minute = digits(bytes, 20, 2), let second = digits(bytes, 23, 2)
        else { return nil }
        let month = Int64(monthIndex + 1)
        return seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// Seconds since 1970 of an RFC 1123 date as S3 takes a request's `Date`: an IMF-fixdate, or the same with a
    /// numeric zone (`Tue, 27 Mar 2007 19:36:42 +0000`, as AWS's SigV2 examples and s3cmd write it); nil when malformed.
    public static func secondsSince1970(rfc1123 text: some StringProtocol) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 31 else { return secondsSince1970(imfFixdate: text) }
        guard bytes[25] == 0x20, bytes[26] == 0x2B || bytes[26] == 0x2D, let hours = digits(bytes, 27, 2), let minutes = digits(bytes, 29, 2),
            hours < 24, minutes < 60, let local = secondsSince1970(imfFixdate: String(decoding: bytes[0..<25], as: UTF8.self) + " GMT")
        else { return nil }
        return local - (hours * 3_600 + minutes * 60) * (bytes[26] == 0x2B ? 1 : -1)
    }

    /// Seconds since 1970 of a UTC date and time; nil when a field is out of range.
    public static func seconds(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) -> Int64? {
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), (0..<24).contains(hour), (0..<60).contains(minute),
            (0..<60).contains(second)
        else { return nil }
        return daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
    }

    /// The days of `month` in `year`.
    public static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Writes the last `width` decimal digits of `value` (its magnitude) into `out` at `offset`, zero-padded: the
    /// fixed-width fields of `yyyyMMdd`, ISO 8601 and object-key dates.
    @inlinable
    public static func writeDigits(_ value: Int64, width: Int, into out: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var rest = value.magnitude
        for index in stride(from: offset + width - 1, through: offset, by: -1) {
            out[index] = UInt8(truncatingIfNeeded: 0x30 + rest % 10)
            rest /= 10
        }
    }

    /// Division rounding towards negative infinity.
    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    /// Howard Hinnant's `days_from_civil`: days since 1970-01-01 of a proleptic Gregorian date.
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Howard Hinnant's `civil_from_days`, the inverse of ``daysFromCivil(year:month:day:)``.
    public static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The decimal number of `count` ASCII digits at `start`; nil when one is not a digit.
    public static func digits(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int64? {
        var value: Int64 = 0
        for byte in bytes[start..<(start + count)] {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        return value
    }
}
