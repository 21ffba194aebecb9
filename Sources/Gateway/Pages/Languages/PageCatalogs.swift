import DropgateAPI
import Foundation

/// The pages' words in each language but English: `web/i18n-de.json` and `web/i18n-fr.json`, flat objects from the
/// English text of the pages to its translation, gettext's way (the English is the key, `{name}` placeholders kept).
/// A text a catalog lacks is written in English; `Tests/interop/page_texts.py --missing` lists them.
struct PageCatalogs: Sendable {
    let texts: [PageLanguage: [String: String]]
    /// Where the pages' scripts fetch each catalog (see ``address(_:)``).
    private let addresses: [PageLanguage: String]

    init(texts: [PageLanguage: [String: String]], addresses: [PageLanguage: String] = [:]) {
        self.texts = texts
        self.addresses = addresses
    }

    /// The catalogs among the web pages; a missing or malformed catalog is empty (its language is then English).
    init(files: StaticFiles) {
        var texts: [PageLanguage: [String: String]] = [:]
        var addresses: [PageLanguage: String] = [:]
        for language in PageLanguage.allCases where language != .en {
            let name = "i18n-\(language.rawValue).json"
            guard let file = files.files[name], let catalog = try? JSONDecoder().decode([String: String].self, from: Data(file.bytes))
            else { continue }
            texts[language] = catalog
            addresses[language] = "/static/\(name)?v=\(file.version)"
        }
        self.init(texts: texts, addresses: addresses)
    }

    /// Where the pages' scripts fetch the catalog of `language` (`web/i18n.js`, from the page's
    /// `<meta name="dg-catalog">`): its static file, by version, so a browser keeps it for a year and a page carries none
    /// of it. Empty for English, and for a language whose catalog is missing.
    func address(_ language: PageLanguage) -> String { addresses[language] ?? "" }

    /// `english` in `language`, or `english` where the catalog lacks it.
    func text(_ english: String, _ language: PageLanguage) -> String {
        texts[language]?[english] ?? english
    }

    /// `wording` in `language`: its template's translation (or its English) filled with its values.
    func written(_ wording: Wording, _ language: PageLanguage) -> String {
        wording.written { text($0, language) }
    }
}
