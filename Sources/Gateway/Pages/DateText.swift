import Foundation
import Synchronization

/// A moment as people read it, in UTC: `12 Dec 2026, 22:06 UTC`, `12. Dez. 2026, 22:06 UTC`, `12 déc. 2026, 22:06 UTC`.
/// The pages and the command line (for German and French) write dates alike.
public enum DateText {
    /// One formatter per language, made once: a page writes two dates, and making a formatter costs far more than using
    /// one. Used under the lock, as a formatter is not safe to share between threads.
    private static let formatters = Mutex<[String: DateFormatter]>([:])

    /// `seconds` since 1970 as `language` (`en`, `de` or `fr`; anything else is English) writes it.
    public static func words(_ seconds: Int64, language: String) -> String {
        let code = language == "de" || language == "fr" ? language : "en"
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        return formatters.withLock { cache in
            let formatter = cache[code] ?? make(code)
            cache[code] = formatter
            return formatter.string(from: date)
        }
    }

    private static func make(_ code: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        switch code {
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
        return formatter
    }
}
