import Glibc

/// ISO 8601 times in UTC (`2026-12-01T08:00:00Z`), written with `gmtime_r` and integer digits: they are on the
/// upload path, where `DateFormatter` and `ISO8601DateFormatter` cost tens of microseconds. (Reading them, which
/// only clients do, uses Foundation's `Date.ISO8601FormatStyle`.)
public enum APITime {
    /// `yyyy-MM-dd'T'HH:mm:ss'Z'` for a number of seconds since 1970.
    public static func iso8601(secondsSince1970 seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var out: [UInt8] = []
        out.reserveCapacity(20)
        func put(_ value: Int32, _ width: Int) {
            var digits = [UInt8](repeating: 0x30, count: width)
            var rest = Int(value)
            for index in stride(from: width - 1, through: 0, by: -1) {
                digits[index] = 0x30 + UInt8(rest % 10)
                rest /= 10
            }
            out += digits
        }
        put(parts.tm_year + 1900, 4)
        out.append(0x2D)
        put(parts.tm_mon + 1, 2)
        out.append(0x2D)
        put(parts.tm_mday, 2)
        out.append(0x54)
        put(parts.tm_hour, 2)
        out.append(0x3A)
        put(parts.tm_min, 2)
        out.append(0x3A)
        put(parts.tm_sec, 2)
        out.append(0x5A)
        return String(decoding: out, as: UTF8.self)
    }
}
