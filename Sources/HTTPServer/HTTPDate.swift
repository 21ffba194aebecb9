import Foundation
import Glibc

/// IMF-fixdates (`Sun, 06 Nov 1994 08:49:37 GMT`) for the `Date` header.
public enum HTTPDate {
    /// Parses an IMF-fixdate (`If-Modified-Since`, a store's `Date`) by position, without a formatter; nil when malformed.
    public static func parse(_ text: String) -> Date? {
        CivilTime.secondsSince1970(imfFixdate: text).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// Formats an instant as an IMF-fixdate.
    public static func format(secondsSince1970 seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
