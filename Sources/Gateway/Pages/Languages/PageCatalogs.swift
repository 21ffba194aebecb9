import DropgateAPI
import Foundation

/// The pages' words in each language but English: `web/i18n-de.json` and `web/i18n-fr.json`, flat objects from the
/// English text of the pages to its translation, gettext's way (the English is the key, `{name}` placeholders kept).
/// A text a catalog lacks is written in English; `Tests/interop/page_texts.py --missing` lists them.
struct PageCatalogs: Sendable {
    let texts: [PageLanguage: [String: String]]
    /// Each catalog as the pages' scripts read it (see ``scriptData(_:)``), made once.
    private let scripts: [PageLanguage: String]

    init(texts: [PageLanguage: [String: String]]) {
        self.texts = texts
        self.scripts = texts.mapValues(Self.json)
    }

    /// The catalogs among the web pages; a missing or malformed catalog is empty (its language is then English).
    init(files: StaticFiles) {
        var texts: [PageLanguage: [String: String]] = [:]
        for language in PageLanguage.allCases where language != .en {
            guard let file = files.files["i18n-\(language.rawValue).json"],
                let catalog = try? JSONDecoder().decode([String: String].self, from: Data(file.bytes))
            else { continue }
            texts[language] = catalog
        }
        self.init(texts: texts)
    }

    /// The catalog of `language` as JSON for a `<script type="application/json" id="page-catalog">` block, which the
    /// pages' scripts read through `web/i18n.js` (data that never runs, so the pages' CSP allows it): `<`, `>` and `&`
    /// written as JSON escapes, so no text can close the block. `{}` for English.
    func scriptData(_ language: PageLanguage) -> String { scripts[language] ?? "{}" }

    private static func json(_ catalog: [String: String]) -> String {
        guard !catalog.isEmpty, let data = try? JSONSerialization.data(withJSONObject: catalog, options: [.sortedKeys]),
            let json = String(data: data, encoding: .utf8)
        else { return "{}" }
        return json.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }

    /// `english` in `language`, or `english` where the catalog lacks it.
    func text(_ english: String, _ language: PageLanguage) -> String {
        texts[language]?[english] ?? english
    }

    /// `wording` in `language`: its template's translation (or its English) filled with its values.
    func written(_ wording: Wording, _ language: PageLanguage) -> String {
        wording.written { text($0, language) }
    }
}
