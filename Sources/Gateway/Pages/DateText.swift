import Foundation

/// A moment as people read it, in UTC: `12 Dec 2026, 22:06 UTC`, `12. Dez. 2026, 22:06 UTC`, `12 déc. 2026, 22:06 UTC`.
/// The pages and the command line (for German and French) write dates alike.
public enum DateText {
    /// `seconds` since 1970 as `language` (`en`, `de` or `fr`; anything else is English) writes it.
    public static func words(_ seconds: Int64, language: String) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        switch language {
        case "de":
            formatter.locale = Locale(identifier: "de_DE")
            formatter.dateFormat = "d. MMM yyyy, HH:mm 'UTC'"
        case "fr":
            formatter.locale = Locale(identifier: "fr_FR")
            formatter.dateFormat = "d MMM yyyy, HH:mm 'UTC'"
        default:
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "d MMM yyyy, HH:mm 'UTC'"
        }
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
