import Foundation

/// Writes a page in a language: replaces the page's markers with the catalog's words and the language's formats.
///
/// Pages are written with markers rather than words: `{{=English}}` (see ``ViewPage/t(_:_:)``), or
/// `{{=English with {name}|name=value|…}}` for a text with placeholders, looked up in the language's catalog by its
/// English (gettext's way: the English is the key, and it is the text where a catalog lacks it); `{{@date=<seconds>}}` and `{{@size=<bytes>}}` for a date and a size as the language writes them;
/// `{{@lang}}` for its code, `{{@here}}` for the page's own path (the switcher returns to it) and `{{@languages}}` for
/// the switcher's options, `{{@switcher}}` for the header's language switcher (``ViewPage/languageSwitcher``, one form for every page),
/// `{{@catalog}}` for where the page's scripts fetch the catalog (see ``PageCatalogs/address(_:)``). Values in markers are already HTML-escaped, and ``ViewPage/escape(_:)`` escapes `{`, `|`
/// and `}`, so nothing a visitor or an uploader wrote can make or close a marker; the catalog's words are escaped as
/// they go in.
struct PageLocalizer: Sendable {
    let catalogs: PageCatalogs

    /// The longest marker read; a longer one is left as it is.
    static let maximumMarker = 4_096

    func localize(_ html: String, language: PageLanguage, here: String) -> String {
        var out = ""
        out.reserveCapacity(html.utf8.count + html.utf8.count / 4)
        var rest = html[...]
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}"), after.distance(from: after.startIndex, to: close.lowerBound) <= Self.maximumMarker else {
                out += "{{"
                rest = after
                continue
            }
            out += expand(after[..<close.lowerBound], language: language, here: here)
            rest = after[close.upperBound...]
        }
        out += rest
        return out
    }

    /// One marker's text.
    func expand(_ marker: Substring, language: PageLanguage, here: String) -> String {
        let parts = marker.split(separator: "|", omittingEmptySubsequences: false)
        let key = String(parts[0])
        switch key {
        case "@lang": return language.rawValue
        case "@here": return ViewPage.escape(here)
        case "@catalog": return catalogs.address(language)
        case "@switcher": return localize(ViewPage.languageSwitcher, language: language, here: here)
        case "@languages":
            return PageLanguage.allCases.map {
                "<option value=\"\($0.rawValue)\" lang=\"\($0.rawValue)\"\($0 == language ? " selected" : "")>\($0.name)</option>"
            }.joined()
        default: break
        }
        let code = language.rawValue
        if key.hasPrefix("@date="), let seconds = Int64(key.dropFirst(6)) { return ViewPage.escape(DateText.words(seconds, language: code)) }
        if key.hasPrefix("@size="), let bytes = Int64(key.dropFirst(6)) { return ViewPage.escape(SizeText.words(bytes, language: code)) }
        // `=English`, looked up in the catalog; a key that is not one of these markers is left as it was.
        guard key.hasPrefix("=") else { return "{{" + marker + "}}" }
        var text = ViewPage.escapeKeepingBraces(catalogs.text(ViewPage.unescape(key.dropFirst()), language))
        for argument in parts.dropFirst() {
            let pair = argument.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            text = text.replacingOccurrences(of: "{\(pair[0])}", with: String(pair[1]))
        }
        return text
    }
}
