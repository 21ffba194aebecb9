import Foundation
import HTTPServer
import Testing

@testable import Gateway

/// Languages (issue 33): which language a request gets, and how a page's markers are written in it, with nothing an
/// uploader wrote able to make a marker.
struct PageLanguageTests {
    @Test(arguments: [
        ("de-CH,de;q=0.9,en;q=0.5", PageLanguage.de), ("fr-FR", .fr), ("en-US,en;q=0.9", .en), ("es, fr;q=0.2", .fr),
        ("fr;q=0.1, de;q=0.8", .de), ("*", .en), ("de;q=0, fr;q=0.5", .fr), ("", .en), ("es", .en), ("de;q=abc, fr;q=0.3", .de),
    ])
    func acceptLanguageNegotiates(field: String, expected: PageLanguage) {
        #expect(PageLanguage.negotiate(cookie: nil, acceptLanguage: field) == expected)
    }

    @Test func theSwitchersCookieWinsAndABadOneIsIgnored() {
        #expect(PageLanguage.negotiate(cookie: "a=b; dg_lang=fr", acceptLanguage: "de") == .fr)
        #expect(PageLanguage.negotiate(cookie: "dg_lang=xx", acceptLanguage: "de") == .de)
        #expect(PageLanguage.negotiate(cookie: String(repeating: "a", count: 10_000) + ";dg_lang=fr", acceptLanguage: nil) == .en)
        #expect(PageLanguage.best(String(repeating: "x-y, ", count: 2_000)) == nil)
    }

    static let localizer = PageLocalizer(
        catalogs: PageCatalogs(texts: [.de: ["Download {name}": "{name} herunterladen", "Size": "Größe"], .fr: ["Size": "Taille"]]))

    @Test func markersAreWrittenInTheLanguageAndMissingTextsFallBackToEnglish() {
        let html = "<p>\(ViewPage.t("Size")) \(ViewPage.humanSize(1_500)) · \(ViewPage.t("Download {name}", ["name": "a<b>.txt"]))</p>"
        #expect(Self.localizer.localize(html, language: .en, here: "/") == "<p>Size 1.5 KB · Download a&lt;b&gt;.txt</p>")
        #expect(Self.localizer.localize(html, language: .de, here: "/") == "<p>Größe 1,5 KB · a&lt;b&gt;.txt herunterladen</p>")
        #expect(Self.localizer.localize(html, language: .fr, here: "/") == "<p>Taille 1,5 Ko · Download a&lt;b&gt;.txt</p>")
        #expect(Self.localizer.localize(ViewPage.date(1_796_508_000), language: .de, here: "/") == "5. Dez. 2026, 22:00 UTC")
    }

    @Test func anAPIMessageWithValuesIsWrittenInTheLanguage() throws {
        let catalogs = PageCatalogs(files: StaticFiles(folder: GatewayHarness.webFolder))
        let refusal = GatewayError(404, .unknownShare, "There is no share \("Ab3", as: "id").")
        #expect(catalogs.written(refusal.wording, .de) == "Es gibt keine Freigabe Ab3.")
        #expect(catalogs.written(refusal.wording, .fr) == "Il n’y a pas de partage Ab3.")
        #expect(catalogs.written(refusal.wording, .en) == refusal.message)
        var files = ["a{b}.txt", "b.txt"].map { SharedFile(key: "shared/k/\($0)", filename: $0, size: 1, contentType: "text/plain") }
        files[0].downloads = 1
        let record = ShareRecord(
            id: "AAAAAAAAAAAAAAAAAAAAAA", files: files, createdAt: 0, expiresAt: 60, maxDownloads: 1, revoked: false, password: nil)
        let reason = try #require(record.unavailability(ofFile: 0, at: Date(timeIntervalSince1970: 0)))
        #expect(catalogs.written(reason, .de) == "a{b}.txt hat sein Download-Limit erreicht.")
        let page = Self.localizer.localize(ViewPage.t(reason), language: .de, here: "/")
        #expect(page == "a&#123;b&#125;.txt reached its download limit.", "the test localizer has no such text: English, escaped")
    }

    @Test(arguments: [
        (0, "0", "0", "0"), (999, "999", "999", "999"), (1_000, "1,000", "1.000", "1\u{202F}000"),
        (12_345, "12,345", "12.345", "12\u{202F}345"), (1_234_567, "1,234,567", "1.234.567", "1\u{202F}234\u{202F}567"),
        (-4_321, "-4,321", "-4.321", "-4\u{202F}321"),
    ])
    func numbersAreGroupedAsEachLanguageGroupsThem(number: Int, english: String, german: String, french: String) {
        #expect(NumberText.words(number, language: "en") == english)
        #expect(NumberText.words(number, language: "de") == german)
        #expect(NumberText.words(number, language: "fr") == french)
        let marker = ViewPage.t("{count} files", counts: ["count": number])
        #expect(Self.localizer.localize(marker, language: .de, here: "/") == "\(german) files", "the test catalog lacks the text")
    }

    @Test func nothingAnUploaderWroteCanMakeOrCloseAMarker() {
        for name in ["{{=Size}}.txt", "}}{{@lang}}", "x|name={{@here}}", "{{@size=1}}"] {
            let html = "<h1>\(ViewPage.escape(name))</h1>\(ViewPage.t("Download {name}", ["name": name]))"
            let written = Self.localizer.localize(html, language: .de, here: "/here")
            #expect(
                !written.contains("Größe") && !written.contains("/here") && !written.contains(">de<") && !written.contains("1 Bytes"), "\(written)")
            #expect(written.contains("herunterladen"))
        }
    }

    @Test func afterAFormTheSwitcherReturnsToThePageTheFormIsOn() {
        let page = { (method: String, target: String) in
            PageService.pageAddress(of: HTTPRequest(method: method, target: target, headers: [.init("Host", "x")], framing: .none))
        }
        #expect(page("POST", "/s/AAAAAAAAAAAAAAAAAAAAAA/unlock") == "/s/AAAAAAAAAAAAAAAAAAAAAA")
        #expect(page("GET", "/s/AAAAAAAAAAAAAAAAAAAAAA?x=1") == "/s/AAAAAAAAAAAAAAAAAAAAAA?x=1")
        #expect(page("POST", "/auth") == "/")
    }

    @Test func theSwitcherReturnsOnlyToAPathOfThisSite() {
        #expect(PageService.localPath("/s/abc?x=1") == "/s/abc?x=1")
        for hostile in ["//evil.example/", "https://evil.example/", "/\\evil.example", "/a\r\nSet-Cookie: x=1", "", nil] {
            #expect(PageService.localPath(hostile) == "/", "\(String(describing: hostile))")
        }
    }
}

/// A page names its catalog by version rather than carrying it: a browser keeps the file, and pages stay small.
struct PageCatalogAddressTests {
    @Test func eachLanguageButEnglishNamesItsCatalogByItsVersion() throws {
        let files = StaticFiles(folder: GatewayHarness.webFolder)
        let catalogs = PageCatalogs(files: files)
        let german = try #require(files.files["i18n-de.json"])
        #expect(catalogs.address(.de) == "/static/i18n-de.json?v=\(german.version)")
        #expect(catalogs.address(.fr).hasPrefix("/static/i18n-fr.json?v=") && catalogs.address(.en) == "")
        #expect(german.version.count == 16 && german.version != files.files["i18n-fr.json"]?.version)
        let page = PageLocalizer(catalogs: catalogs).localize(ViewPage.page(title: "x", body: ""), language: .de, here: "/")
        #expect(page.contains("<meta name=\"dg-catalog\" content=\"\(catalogs.address(.de))\">") && page.utf8.count < 8_000)
    }

    @Test func aValidatorListIsParsedNotSearched() {
        #expect(PageService.matches("\"abc\"", "\"abc\""))
        #expect(PageService.matches("\"x\", W/\"abc\"", "\"abc\""))
        #expect(PageService.matches("*", "\"abc\""))
        #expect(!PageService.matches("\"abcd\"", "\"abc\""))
        #expect(!PageService.matches("\"ab\"", "\"abc\""))
        #expect(!PageService.matches(String(repeating: "\"abc\",", count: 1_000), "\"abc\""))
    }
}

/// The command line writes sizes and dates for people in its environment's language (issue 33).
struct CommandLineLanguageTests {
    @Test(arguments: [
        (["LANG": "de_DE.UTF-8"], "de"), (["LC_ALL": "fr_CA.UTF-8", "LANG": "de_DE"], "fr"), (["LANG": "C.UTF-8"], "en"),
        ([:], "en"), (["LC_MESSAGES": "es_ES", "LANG": "de_DE"], "en"), (["LC_ALL": "", "LANG": "fr"], "fr"),
    ])
    func theEnvironmentChoosesTheLanguage(environment: [String: String], expected: String) {
        #expect(SizeText.language(environment: environment) == expected)
    }

    @Test func sizesAndDatesAsEachLanguageWritesThem() {
        #expect(SizeText.words(1_500_000, language: "de") == "1,5 MB" && SizeText.words(1_500_000, language: "fr") == "1,5 Mo")
        #expect(SizeText.words(12, language: "fr") == "12 octets" && SizeText.words(12) == "12 bytes")
        #expect(DateText.words(1_796_508_000, language: "fr") == "5 déc. 2026, 22:00 UTC")
        #expect(DateText.words(1_796_508_000, language: "en") == "5 Dec 2026, 22:00 UTC")
    }
}
