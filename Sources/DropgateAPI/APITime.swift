import HTTPWire

/// ISO 8601 times in UTC (`2026-12-01T08:00:00Z`), written with integer arithmetic (``CivilTime``) straight into the
/// string: they are on the upload path, where `DateFormatter` and `ISO8601DateFormatter` cost tens of microseconds.
/// (Reading them, which only clients do, uses Foundation's `Date.ISO8601FormatStyle`.)
public enum APITime {
    /// `yyyy-MM-dd'T'HH:mm:ss'Z'` for a number of seconds since 1970.
    public static func iso8601(secondsSince1970 seconds: Int64) -> String {
        let days = CivilTime.floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilTime.civilFromDays(days)
        return String(unsafeUninitializedCapacity: 20) { out in
            func put(_ value: Int64, at offset: Int, width: Int) { CivilTime.writeDigits(value, width: width, into: out, at: offset) }
            put(year, at: 0, width: 4)
            out[4] = 0x2D
            put(month, at: 5, width: 2)
            out[7] = 0x2D
            put(day, at: 8, width: 2)
            out[10] = 0x54
            put(secondOfDay / 3_600, at: 11, width: 2)
            out[13] = 0x3A
            put(secondOfDay / 60 % 60, at: 14, width: 2)
            out[16] = 0x3A
            put(secondOfDay % 60, at: 17, width: 2)
            out[19] = 0x5A
            return 20
        }
    }
}
