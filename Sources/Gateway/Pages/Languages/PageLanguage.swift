import Foundation

/// A language the pages are written in. Negotiated for each request: the `dg_lang` cookie that the page's switcher
/// sets, else the best of the browser's `Accept-Language`, else English.
enum PageLanguage: String, CaseIterable, Sendable {
    case en, de, fr

    /// The language's own name, as the switcher lists it.
    var name: String {
        switch self {
        case .en: "English"
        case .de: "Deutsch"
        case .fr: "Français"
        }
    }

    /// The cookie the switcher sets.
    static let cookieName = "dg_lang"

    /// The language for a request's `Cookie` and `Accept-Language` fields.
    static func negotiate(cookie: String?, acceptLanguage: String?) -> PageLanguage {
        if let chosen = cookie.flatMap(Self.fromCookie) { return chosen }
        return acceptLanguage.flatMap(Self.best) ?? .en
    }

    /// The `dg_lang` cookie's language, if the `Cookie` field has a valid one.
    static func fromCookie(_ field: String) -> PageLanguage? {
        guard field.utf8.count <= 8_192 else { return nil }
        for pair in field.split(separator: ";", maxSplits: 64) {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == cookieName else { continue }
            return PageLanguage(rawValue: parts[1].trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// The best language of an `Accept-Language` field (RFC 9110 §12.5.4): the highest weight wins, the earlier of
    /// equal weights; a range matches by its primary subtag (`de-CH` is German), `*` is English, `q=0` refuses. A field
    /// over 4 KiB or past 32 ranges is read no further.
    static func best(_ field: String) -> PageLanguage? {
        guard field.utf8.count <= 4_096 else { return nil }
        var chosen: (language: PageLanguage, weight: Double)?
        var refused: Set<PageLanguage> = []
        for item in field.split(separator: ",", maxSplits: 32).prefix(32) {
            let parts = item.split(separator: ";")
            guard let range = parts.first?.trimmingCharacters(in: .whitespaces).lowercased(), !range.isEmpty else { continue }
            var weight = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0].lowercased() == "q", let value = Double(pair[1]), (0...1).contains(value), pair[1].utf8.count <= 5 {
                    weight = value
                }
            }
            let primary = range.split(separator: "-", maxSplits: 1).first.map(String.init) ?? range
            guard let language = primary == "*" ? PageLanguage.en : PageLanguage(rawValue: primary) else { continue }
            if weight == 0 {
                refused.insert(language)
                continue
            }
            if !refused.contains(language), weight > (chosen?.weight ?? -1) { chosen = (language, weight) }
        }
        return chosen?.language
    }
}
