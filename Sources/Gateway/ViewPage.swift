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
    static func humanSize(_ bytes: Int64) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f", value) + " " + units[unit]
    }

    static func date(_ seconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMM yyyy, HH:mm 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(escape(title)) · Dropgate</title>
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

    /// The page of a share. Its preview comes through `/s/{id}/raw`, which counts, so the page hands out no uncounted
    /// URL; a share with a download limit shows no preview (a view would spend a download), and only types safe to
    /// render inline are previewed at all.
    static func share(_ record: ShareRecord, now: Date) -> HTTPResponse {
        let source = escape("/s/\(record.id)/raw")
        let downloadPath = "/s/\(record.id)/raw?download=1"
        let name = escape(record.filename)
        let type = MediaType(record.contentType)?.essence ?? ""
        let preview: String
        if let limit = record.maxDownloads {
            preview = "<p class=\"no-preview\">This share allows \(limit) download\(limit == 1 ? "" : "s"), so it shows no preview.</p>"
        } else if !InlineSafety.isSafeInline(type) {
            preview = "<p class=\"no-preview\">No preview for this type of file. Use the download button.</p>"
        } else if type.hasPrefix("image/") {
            preview = "<img id=\"preview\" src=\"\(source)\" alt=\"\(name)\">"
        } else if type.hasPrefix("video/") {
            preview = "<video id=\"preview\" src=\"\(source)\" controls preload=\"metadata\"><a href=\"\(source)\">\(name)</a></video>"
        } else if type.hasPrefix("audio/") {
            preview = "<audio id=\"preview\" src=\"\(source)\" controls preload=\"metadata\"><a href=\"\(source)\">\(name)</a></audio>"
        } else if type == "application/pdf" {
            preview = "<iframe id=\"preview\" src=\"\(source)\" title=\"\(name)\"></iframe>"
        } else {
            preview = "<iframe id=\"preview\" src=\"\(source)\" title=\"\(name)\" sandbox></iframe>"
        }
        var facts = [
            ("Size", humanSize(record.size)), ("Type", record.contentType), ("Uploaded", date(record.createdAt)), ("Expires", date(record.expiresAt)),
        ]
        if let maxDownloads = record.maxDownloads { facts.append(("Downloads", "\(record.downloads) of \(maxDownloads)")) }
        let list = facts.map { "<li><span class=\"fact-name\">\($0.0)</span> <span class=\"fact-value\">\(escape($0.1))</span></li>" }.joined()
        let body = """
            <article class="share">
            <h1 id="filename">\(name)</h1>
            <ul class="facts">\(list)</ul>
            <section class="preview" aria-label="Preview">\(preview)</section>
            <p><a id="download" class="button" href="\(escape(downloadPath))" download="\(name)">Download \(name)</a></p>
            </article>
            """
        var response = HTTPResponse(status: 200, contentType: "text/html; charset=utf-8", body: page(title: record.filename, body: body))
        response.headers.set("Cache-Control", "no-store")
        return response
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
