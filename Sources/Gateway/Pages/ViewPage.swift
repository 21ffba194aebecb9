import DropgateAPI
import Foundation
import HTTPServer
import S3Common

/// The HTML of the share view page and of the friendly error pages. Every value is escaped.
enum ViewPage {
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Braces and bars too: no text a visitor or an uploader wrote can make or close a language marker.
            case "{": out += "&#123;"
            case "|": out += "&#124;"
            case "}": out += "&#125;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A size, marked to be written as the reader's language writes it (`1.5 MB`, `1,5 Mo`): HTML, not to be escaped.
    static func humanSize(_ bytes: Int64) -> String { "{{@size=\(bytes)}}" }

    /// A moment in UTC, marked to be written as the reader's language writes it: HTML, not to be escaped.
    static func date(_ seconds: Int64) -> String { "{{@date=\(seconds)}}" }

    /// Text of the pages, written in English and marked to be written in the reader's language (see ``PageLocalizer``):
    /// HTML, not to be escaped again. `{name}` in `english` is replaced by the argument of that name, escaped. The
    /// English is a constant of the code: it never holds `|` or `}}`.
    static func t(_ english: String, _ arguments: KeyValuePairs<String, String> = [:]) -> String {
        marker(english, arguments.map { "\($0.key)=\(escape($0.value))" })
    }

    /// `wording` as a marker: its template looked up, its values filled in (see ``t(_:_:)``).
    static func t(_ wording: Wording) -> String {
        marker(wording.template, wording.values.map { "\($0.name)=\(escape($0.text))" })
    }

    /// ``t(_:_:)`` for a text whose values are whole numbers, each written as the reader's language groups it
    /// (``NumberText``): `{count} files` says `12,345 files`, `12.345 Dateien`.
    static func t(_ english: String, counts: KeyValuePairs<String, Int>) -> String {
        marker(english, counts.map { "\($0.key)#=\($0.value)" })
    }

    /// `{{=English|name=value|…}}`: the one shape of a text marker (see ``PageLocalizer``); `values` already written.
    private static func marker(_ english: String, _ values: [String]) -> String {
        (["{{=" + escapeKeepingBraces(english)] + values).joined(separator: "|") + "}}"
    }

    /// ``escape(_:)`` but for braces, which mark placeholders in the pages' English.
    static func escapeKeepingBraces(_ text: String) -> String {
        escape(text).replacingOccurrences(of: "&#123;", with: "{").replacingOccurrences(of: "&#125;", with: "}")
    }

    /// The text ``escape(_:)`` made, back as it was.
    static func unescape(_ html: Substring) -> String {
        var text = String(html)
        for (entity, character) in [
            ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#123;", "{"), ("&#124;", "|"), ("&#125;", "}"),
        ] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text.replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The header's language switcher: a form that works without script; `GET /language` keeps the choice in a cookie
    /// and comes back to the page.
    static let languageSwitcher =
        "<form class=\"language\" method=\"get\" action=\"/language\"><label for=\"language-choice\">\(t("Language"))</label> "
        + "<select id=\"language-choice\" name=\"to\">{{@languages}}</select><input type=\"hidden\" name=\"back\" value=\"{{@here}}\"> "
        + "<button type=\"submit\">\(t("Change"))</button></form>"

    /// Where a page's link card goes in its `<head>` (see ``withCard(_:_:)``).
    static let cardMarker = "<!-- link card -->"

    /// A page around `body`, with `title` (HTML: escaped text, or ``t(_:_:)``) and the header's language switcher
    /// (left out of a page whose one form may go elsewhere: its policy would refuse the switcher's).
    static func page(title: String, body: String, switcher: Bool = true) -> String {
        """
        <!doctype html>
        <html lang="{{@lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(title) · Dropgate</title>
        \(cardMarker)
        <link rel="stylesheet" href="/static/style.css">
        <meta name="dg-catalog" content="{{@catalog}}">
        </head>
        <body>
        <header class="top"><a class="brand" href="/">Dropgate</a>\(switcher ? "{{@switcher}}" : "")</header>
        <main>
        \(body)
        </main>
        </body>
        </html>
        """
    }

    /// The page of a share: its one file, or the list of a collection's files (see ``collection(_:now:)``).
    static func share(_ record: ShareRecord, now: Date) -> HTTPResponse {
        if record.encrypted == true { return encrypted(record) }
        return record.files.count == 1 ? file(record, index: 0, now: now) : collection(record, now: now)
    }

    /// The page of one file of a share. Its preview comes through its `raw` link, which counts, so the page hands out
    /// no uncounted URL; a share with a download limit shows no preview (a view would spend a download), and only
    /// types safe to render inline are previewed at all.
    static func file(_ record: ShareRecord, index: Int, now: Date) -> HTTPResponse {
        let file = record.files[index]
        let raw = rawPath(record, index: index)
        let name = escape(file.filename)
        var facts = [
            (t("Size"), humanSize(file.size)), (t("Type"), escape(file.contentType)), (t("Uploaded"), date(record.createdAt)),
            (t("Expires"), date(record.expiresAt)),
        ]
        if record.burnAfterReading == true {
            facts.append((t("Burns"), t("after one read")))
        } else if let maxDownloads = record.maxDownloads {
            facts.append((t("Downloads"), t("{count} of {limit}", counts: ["count": file.downloads, "limit": maxDownloads])))
        }
        let list = facts.map { "<li><span class=\"fact-name\">\($0.0)</span> <span class=\"fact-value\">\($0.1)</span></li>" }.joined()
        let partOf =
            record.files.count == 1
            ? ""
            : "<p class=\"part-of\">\(t("File {n} of", counts: ["n": index + 1])) <a href=\"/s/\(record.id)\">\(escape(record.title))</a></p>"
        let body = """
            <article class="share">
            \(partOf)<h1 id="filename">\(name)</h1>
            <ul class="facts">\(list)</ul>
            <section class="preview" aria-label="\(t("Preview"))">\(preview(file, source: raw, limit: record.maxDownloads, burn: record.burnAfterReading == true, id: "preview"))</section>
            <p><a id="download" class="button" href="\(escape(raw + "?download=1"))" download="\(name)">\(t("Download {name}", ["name": file.filename]))</a></p>
            </article>
            """
        var response = HTTPResponse(status: 200, contentType: "text/html; charset=utf-8", body: page(title: name, body: body))
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// The counted download path of a file: `/s/{id}/raw` for a one-file share (its link since before collections),
    /// `/s/{id}/{n}/raw` in a collection.
    static func rawPath(_ record: ShareRecord, index: Int) -> String {
        record.files.count == 1 ? "/s/\(record.id)/raw" : "/s/\(record.id)/\(index + 1)/raw"
    }

    /// The preview of a file, or a line saying why there is none.
    static func preview(_ file: SharedFile, source path: String, limit: Int?, burn: Bool, id: String) -> String {
        let source = escape(path)
        let name = escape(file.filename)
        let type = MediaType(file.contentType)?.essence ?? ""
        let markdown = type == "text/markdown"
        let script = "<script type=\"module\" src=\"/static/preview.js\"></script>"
        let copy =
            "<p><button type=\"button\" class=\"copy-text\" data-source=\"\(source)\" aria-label=\"\(t("Copy the text of {name}", ["name": file.filename]))\">\(t("Copy the text"))</button> "
            + "<span class=\"copy-status\" role=\"status\"></span></p>"
        if burn, markdown || type == "text/plain" || type == "text/csv" {
            // Read only when the visitor asks (a link preview or a prefetch burns nothing), once, and shown from memory.
            return "<div id=\"\(id)\" class=\"burn-reveal\" data-source=\"\(source)\" data-name=\"\(name)\"\(markdown ? " data-markdown=\"1\"" : "")>"
                + "<p>\(t("This text can be read once: after you show it, its link stops working."))</p>"
                + "<p><button type=\"button\" class=\"reveal\">\(t("Show the text"))</button></p></div>\(script)"
        } else if burn {
            return "<p class=\"no-preview\">\(t("This file can be downloaded once: after that, its link stops working."))</p>"
        } else if let limit {
            let words =
                limit == 1
                ? t("This share allows 1 download of each file, so it shows no preview.")
                : t("This share allows {count} downloads of each file, so it shows no preview.", counts: ["count": limit])
            return "<p class=\"no-preview\">\(words)</p>"
        } else if type == "text/csv" {
            // Read by the page's script (its one counted download) and drawn as a table of text, bounded.
            return "<div id=\"\(id)\" class=\"csv-preview\" data-source=\"\(source)\" data-name=\"\(name)\">"
                + "<p class=\"no-preview\">\(t("Loading a preview of {name}…", ["name": file.filename]))</p></div><script type=\"module\" src=\"/static/preview.js\"></script>"
        } else if let family = CodeLanguage.family(of: file) {
            // Read by the page's script and drawn with line numbers and highlighting, as text nodes, bounded.
            return "<div id=\"\(id)\" class=\"code-preview\" data-source=\"\(source)\" data-name=\"\(name)\" data-family=\"\(family)\">"
                + "<p class=\"no-preview\">\(t("Loading {name}…", ["name": file.filename]))</p></div>\(copy)\(script)"
        } else if markdown {
            // Read by the page's script and drawn from a safe subset of Markdown as elements and text, never HTML.
            return "<div id=\"\(id)\" class=\"markdown-preview\" data-source=\"\(source)\" data-name=\"\(name)\">"
                + "<p class=\"no-preview\">\(t("Loading {name}…", ["name": file.filename]))</p></div>\(copy)\(script)"
        } else if type == "application/pdf" {
            return "<p class=\"no-preview\">\(t("PDFs are not previewed here, since they can carry scripts. Use the download button."))</p>"
        } else if !InlineSafety.isSafeInline(type) {
            return "<p class=\"no-preview\">\(t("No preview for this type of file. Use the download button."))</p>"
        } else if type.hasPrefix("image/") {
            return "<img id=\"\(id)\" src=\"\(source)\" alt=\"\(name)\" loading=\"lazy\">"
        } else if type.hasPrefix("video/") {
            return "<video id=\"\(id)\" src=\"\(source)\" controls preload=\"metadata\"><a href=\"\(source)\">\(name)</a></video>"
        } else if type.hasPrefix("audio/") {
            // The page reads a small file once (for its waveform and for playing); nothing is fetched before that or a play.
            return "<div class=\"audio-preview\" data-source=\"\(source)\" data-name=\"\(name)\" data-size=\"\(file.size)\">"
                + "<audio id=\"\(id)\" src=\"\(source)\" controls preload=\"none\"><a href=\"\(source)\">\(name)</a></audio></div>\(script)"
        }
        // Text, shown sandboxed, with a button that copies it (one more counted read, made only when asked).
        return "<iframe id=\"\(id)\" src=\"\(source)\" title=\"\(name)\" sandbox></iframe>\(copy)\(script)"
    }

    /// A page that says why there is nothing here: `title` and `message` are English, written in the reader's language
    /// when the catalogs have them (a message naming a file stays English).
    static func unavailable(status: Int, title: String, message: Wording) -> HTTPResponse {
        let body = """
            <article class="gone">
            <h1>\(t(title))</h1>
            <p>\(t(message))</p>
            <p><a class="button" href="/">\(t("Share a file"))</a></p>
            </article>
            """
        var response = HTTPResponse(status: HTTPStatus(status), contentType: "text/html; charset=utf-8", body: page(title: t(title), body: body))
        response.headers.set("Cache-Control", "no-store")
        return response
    }
}
