import DropgateAPI
import Foundation

/// Writes a page in a language: replaces the page's markers with the catalog's words and the language's formats.
///
/// Pages are written with markers rather than words: `{{=English}}` (see ``ViewPage/t(_:_:)``), or
/// `{{=English with {name}|name=value|…}}` for a text with placeholders, looked up in the language's catalog by its
/// English (gettext's way: the English is the key, and it is the text where a catalog lacks it); `{{@date=<seconds>}}`
/// and `{{@size=<bytes>}}` for a date and a size as the language writes them; `{{@lang}}` for its code, `{{@here}}` for
/// the page's own path (the switcher returns to it) and `{{@languages}}` for the switcher's options, `{{@switcher}}` for
/// the header's language switcher (``ViewPage/languageSwitcher``, one form for every page), `{{@catalog}}` for where the
/// page's scripts fetch the catalog (see ``PageCatalogs/address(_:)``). Values in markers are already HTML-escaped, and
/// ``ViewPage/escape(_:)`` escapes `{`, `|` and `}`, so nothing a visitor or an uploader wrote can make or close a
/// marker; the catalog's words are escaped as they go in.
///
/// Every page answer is written here, so the work per marker is one dictionary lookup: the catalogs are kept escaped
/// as the markers hold their English (made once), and the page is scanned as bytes.
struct PageLocalizer: Sendable {
    let catalogs: PageCatalogs
    /// Per language, each text's English as a marker holds it (``ViewPage/escapeKeepingBraces(_:)``) to its translation
    /// escaped the same way.
    private let escaped: [PageLanguage: [String: String]]

    init(catalogs: PageCatalogs) {
        self.catalogs = catalogs
        self.escaped = catalogs.texts.mapValues { catalog in
            Dictionary(
                catalog.map { (ViewPage.escapeKeepingBraces($0.key), ViewPage.escapeKeepingBraces($0.value)) },
                uniquingKeysWith: { first, _ in first })
        }
    }

    /// The longest marker read; a longer one is left as it is.
    static let maximumMarker = 4_096

    func localize(_ html: String, language: PageLanguage, here: String) -> String {
        String(decoding: localize(bytes: Array(html.utf8), language: language, here: here), as: UTF8.self)
    }

    /// `html`'s bytes with every marker written in `language`; bytes outside markers are copied as they are.
    func localize(bytes html: [UInt8], language: PageLanguage, here: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(html.count + html.count / 4)
        var copied = 0
        var index = 0
        let end = html.count
        while index + 1 < end {
            guard html[index] == 0x7B, html[index + 1] == 0x7B else {
                index += 1
                continue
            }
            let start = index + 2
            var close = start
            let limit = min(end - 1, start + Self.maximumMarker)
            while close < limit, !(html[close] == 0x7D && html[close + 1] == 0x7D) { close += 1 }
            guard close < limit else {
                index = start
                continue
            }
            out.append(contentsOf: html[copied..<index])
            out.append(contentsOf: expand(String(decoding: html[start..<close], as: UTF8.self), language: language, here: here).utf8)
            index = close + 2
            copied = index
        }
        out.append(contentsOf: html[copied...])
        return out
    }

    /// One marker's text.
    func expand(_ marker: String, language: PageLanguage, here: String) -> String {
        switch marker {
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
        if marker.hasPrefix("@date="), let seconds = Int64(marker.dropFirst(6)) { return ViewPage.escape(DateText.words(seconds, language: code)) }
        if marker.hasPrefix("@size="), let bytes = Int64(marker.dropFirst(6)) { return ViewPage.escape(SizeText.words(bytes, language: code)) }
        // `=English`, looked up in the catalog; a marker that is none of these is left as it was.
        guard marker.hasPrefix("=") else { return "{{" + marker + "}}" }
        let parts = marker.dropFirst().split(separator: "|", omittingEmptySubsequences: false)
        let key = String(parts[0])
        let text = escaped[language]?[key] ?? slowLookup(key, language)
        guard parts.count > 1 else { return text }
        var values: [Wording.Value] = []
        for argument in parts.dropFirst() {
            let pair = argument.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            // `name#=1234`: a whole number (``ViewPage/t(_:counts:)``), grouped as the language groups it.
            if pair[0].hasSuffix("#"), let number = Int(pair[1]) {
                values.append(Wording.Value(name: String(pair[0].dropLast()), text: NumberText.words(number, language: language.rawValue)))
            } else {
                values.append(Wording.Value(name: String(pair[0]), text: String(pair[1])))
            }
        }
        return Wording.fill(text, values)
    }

    /// A text whose marker holds its English escaped otherwise than ``ViewPage/escapeKeepingBraces(_:)`` would (a
    /// static page's own writing): unescaped, looked up, and escaped again; the English as it was where no catalog has it.
    private func slowLookup(_ key: String, _ language: PageLanguage) -> String {
        guard let translation = catalogs.texts[language]?[ViewPage.unescape(key[...])] else { return key }
        return ViewPage.escapeKeepingBraces(translation)
    }
}
