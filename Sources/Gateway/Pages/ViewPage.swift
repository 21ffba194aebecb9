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
            default: out.append(character)
            }
        }
        return out
    }

    /// `1.5 MB`.
    static func humanSize(_ bytes: Int64) -> String { SizeText.words(bytes) }

    static func date(_ seconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMM yyyy, HH:mm 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// Where a page's link card goes in its `<head>` (see ``withCard(_:_:)``).
    static let cardMarker = "<!-- link card -->"

    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(escape(title)) · Dropgate</title>
        \(cardMarker)
        <link rel="stylesheet" href="/static/style.css">
        </head>
        <body>
        <header class="top"><a class="brand" href="/">Dropgate</a></header>
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
            ("Size", humanSize(file.size)), ("Type", file.contentType), ("Uploaded", date(record.createdAt)), ("Expires", date(record.expiresAt)),
        ]
        if record.burnAfterReading == true {
            facts.append(("Burns", "after one read"))
        } else if let maxDownloads = record.maxDownloads {
            facts.append(("Downloads", "\(file.downloads) of \(maxDownloads)"))
        }
        let list = facts.map { "<li><span class=\"fact-name\">\($0.0)</span> <span class=\"fact-value\">\(escape($0.1))</span></li>" }.joined()
        let partOf =
            record.files.count == 1
            ? "" : "<p class=\"part-of\">File \(index + 1) of <a href=\"/s/\(record.id)\">\(escape(record.title))</a></p>"
        let body = """
            <article class="share">
            \(partOf)<h1 id="filename">\(name)</h1>
            <ul class="facts">\(list)</ul>
            <section class="preview" aria-label="Preview">\(preview(file, source: raw, limit: record.maxDownloads, burn: record.burnAfterReading == true, id: "preview"))</section>
            <p><a id="download" class="button" href="\(escape(raw + "?download=1"))" download="\(name)">Download \(name)</a></p>
            </article>
            """
        var response = HTTPResponse(status: 200, contentType: "text/html; charset=utf-8", body: page(title: file.filename, body: body))
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
            "<p><button type=\"button\" class=\"copy-text\" data-source=\"\(source)\" aria-label=\"Copy the text of \(name)\">Copy the text</button> "
            + "<span class=\"copy-status\" role=\"status\"></span></p>"
        if burn, markdown || type == "text/plain" || type == "text/csv" {
            // Read only when the visitor asks (a link preview or a prefetch burns nothing), once, and shown from memory.
            return "<div id=\"\(id)\" class=\"burn-reveal\" data-source=\"\(source)\" data-name=\"\(name)\"\(markdown ? " data-markdown=\"1\"" : "")>"
                + "<p>This text can be read once: after you show it, its link stops working.</p>"
                + "<p><button type=\"button\" class=\"reveal\">Show the text</button></p></div>\(script)"
        } else if burn {
            return "<p class=\"no-preview\">This file can be downloaded once: after that, its link stops working.</p>"
        } else if let limit {
            return "<p class=\"no-preview\">This share allows \(limit) download\(limit == 1 ? "" : "s") of each file, so it shows no preview.</p>"
        } else if type == "text/csv" {
            // Read by the page's script (its one counted download) and drawn as a table of text, bounded.
            return "<div id=\"\(id)\" class=\"csv-preview\" data-source=\"\(source)\" data-name=\"\(name)\">"
                + "<p class=\"no-preview\">Loading a preview of \(name)…</p></div><script type=\"module\" src=\"/static/preview.js\"></script>"
        } else if let family = CodeLanguage.family(of: file) {
            // Read by the page's script and drawn with line numbers and highlighting, as text nodes, bounded.
            return "<div id=\"\(id)\" class=\"code-preview\" data-source=\"\(source)\" data-name=\"\(name)\" data-family=\"\(family)\">"
                + "<p class=\"no-preview\">Loading \(name)…</p></div>\(copy)\(script)"
        } else if markdown {
            // Read by the page's script and drawn from a safe subset of Markdown as elements and text, never HTML.
            return "<div id=\"\(id)\" class=\"markdown-preview\" data-source=\"\(source)\" data-name=\"\(name)\">"
                + "<p class=\"no-preview\">Loading \(name)…</p></div>\(copy)\(script)"
        } else if type == "application/pdf" {
            return "<p class=\"no-preview\">PDFs are not previewed here, since they can carry scripts. Use the download button.</p>"
        } else if !InlineSafety.isSafeInline(type) {
            return "<p class=\"no-preview\">No preview for this type of file. Use the download button.</p>"
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

    static func unavailable(status: Int, title: String, message: String) -> HTTPResponse {
        let body = """
            <article class="gone">
            <h1>\(escape(title))</h1>
            <p>\(escape(message))</p>
            <p><a class="button" href="/">Share a file</a></p>
            </article>
            """
        var response = HTTPResponse(status: HTTPStatus(status), contentType: "text/html; charset=utf-8", body: page(title: title, body: body))
        response.headers.set("Cache-Control", "no-store")
        return response
    }
}
