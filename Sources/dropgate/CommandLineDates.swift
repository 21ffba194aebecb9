import Foundation
import Gateway

/// Dates the command line prints for people: ISO 8601 in English (as scripts read them), else as the environment's
/// language writes them (`LANG=de_DE.UTF-8`: `12. Dez. 2026, 22:06 UTC`).
enum CommandLineDates {
    static func words(_ date: Date) -> String {
        let language = SizeText.language()
        guard language != "en" else { return ISO8601DateFormatter().string(from: date) }
        return DateText.words(Int64(date.timeIntervalSince1970.rounded(.down)), language: language)
    }
}
