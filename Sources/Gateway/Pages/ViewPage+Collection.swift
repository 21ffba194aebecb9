import Foundation
import HTTPServer

extension ViewPage {
    /// The page of a collection: its facts, a "Download all" button (`share.js` downloads each file in turn, so the
    /// gateway still carries no bytes), and every file with its size, type, preview, download and own link.
    static func collection(_ record: ShareRecord, now: Date) -> HTTPResponse {
        var facts = [
            (t("Total size"), humanSize(record.size)), (t("Uploaded"), date(record.createdAt)),
            (t("Expires"), date(record.expiresAt)),
        ]
        if record.burnAfterReading == true {
            facts.append((t("Burns"), t("after one read of each file")))
        } else if let maxDownloads = record.maxDownloads {
            facts.append((t("Downloads"), t("{count} of each file", counts: ["count": maxDownloads])))
        }
        let list = facts.map { "<li><span class=\"fact-name\">\($0.0)</span> <span class=\"fact-value\">\($0.1)</span></li>" }.joined()
        let tree = CollectionTree(record)
        let body = """
            <article class="share collection">
            <h1 id="title">\(t("{count} files", counts: ["count": record.files.count]))</h1>
            <ul class="facts">\(list)</ul>
            <p><button id="download-all" type="button" data-name="\(escape(zipName(record)))">\(t("Download all {count} files as a ZIP", counts: ["count": record.files.count]))</button>
            <span id="download-all-status" class="hint" role="status"></span></p>
            <ol class="files\(isGallery(record) ? " gallery" : "")" aria-label="\(t("Files"))">
            \(items(tree.root, record))
            </ol>
            </article>
            <script type="module" src="/static/share.js"></script>
            """
        var response = HTTPResponse(status: 200, contentType: "text/html; charset=utf-8", body: page(title: escape(record.title), body: body))
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// The files and folders of `folder`, its folders first, folded, each saying what it holds.
    static func items(_ folder: CollectionTree.Folder, _ record: ShareRecord) -> String {
        let folders = folder.folders.map { child in
            let count = child.count
            return """
                <li class="folder"><details><summary><span class="folder-name">\(escape(child.name))</span> \
                <span class="hint">\(count == 1 ? t("1 file") : t("{count} files", counts: ["count": count])) · \(humanSize(child.bytes(record)))</span></summary>
                <ol class="files" aria-label="\(t("Files in {folder}", ["folder": child.name]))">
                \(items(child, record))
                </ol></details></li>
                """
        }
        let files = folder.files.map { index in
            let file = record.files[index]
            let raw = rawPath(record, index: index)
            let name = escape(file.filename)
            let left = record.maxDownloads.map { " · " + t("{count} downloads left", counts: ["count": max(0, $0 - file.downloads)]) } ?? ""
            // In a gallery, pictures show as thumbnails (or icons, never the file itself); text keeps its bounded preview.
            let picture = file.thumbnail != nil || file.contentType.hasPrefix("image/") || file.contentType.hasPrefix("video/")
            let preview =
                isGallery(record) && picture
                ? thumbnail(file, record: record, index: index)
                : self.preview(file, source: raw, limit: record.maxDownloads, burn: record.burnAfterReading == true, id: "preview-\(index + 1)")
            return """
                <li class="file" id="file-\(index + 1)" data-folder="\(escape(file.folder ?? ""))" data-name="\(name)" data-size="\(file.size)" \
                data-raw="\(escape(raw))">
                <h2 class="file-name"><a href="/s/\(record.id)/\(index + 1)">\(name)</a></h2>
                <p class="hint">\(humanSize(file.size)) · \(escape(file.contentType))\(left)</p>
                <div class="preview">\(preview)</div>
                <p><a class="button file-download" href="\(escape(raw + "?download=1"))" download="\(name)">\(t("Download {name}", ["name": file.filename]))</a></p>
                </li>
                """
        }
        return (folders + files).joined(separator: "\n")
    }

    /// A collection with thumbnails shows a gallery: each file's thumbnail (loaded when scrolled near, never the file
    /// itself) or its type's icon, with its full view a click away on its own page.
    static func isGallery(_ record: ShareRecord) -> Bool {
        record.burnAfterReading != true && record.files.contains { $0.thumbnail != nil }
    }

    /// A file's place in the gallery: its thumbnail, or an icon naming its type.
    static func thumbnail(_ file: SharedFile, record: ShareRecord, index: Int) -> String {
        let page = "/s/\(record.id)/\(index + 1)"
        guard file.thumbnail != nil else {
            let ext = (file.filename as NSString).pathExtension.prefix(5).uppercased()
            let label = ext.isEmpty ? (file.contentType.split(separator: "/").first.map(String.init) ?? "file").uppercased() : ext
            return "<a class=\"thumb icon\" href=\"\(page)\"><span class=\"type-icon\">\(escape(label))</span>"
                + "<span class=\"visually-hidden\">\(t("Open {name}", ["name": file.filename]))</span></a>"
        }
        return "<a class=\"thumb\" href=\"\(page)\"><img id=\"preview-\(index + 1)\" src=\"\(page)/thumb\" loading=\"lazy\" decoding=\"async\" "
            + "alt=\"\(t("Open {name}", ["name": file.filename]))\"></a>"
    }

    /// The name the collection's ZIP is saved under: its link's name, so two collections' archives differ.
    static func zipName(_ record: ShareRecord) -> String { "dropgate-\(record.linkName).zip" }

    /// The page of a share with a password: nothing of the share (no name, no size) until the password is right.
    ///
    /// For an encrypted share it also gives the key wrap's public salt and count: the page's script derives the access
    /// secret from the password and sends that, never the password (`docs/encryption.md`).
    static func passwordForm(_ record: ShareRecord, status: Int, message: String?) -> HTTPResponse {
        let id = record.id
        let wrap =
            record.keyWrap.map {
                " data-e2e-salt=\"\(escape($0.salt))\" data-e2e-iterations=\"\($0.iterations)\""
            } ?? ""
        let script = record.keyWrap == nil ? "" : "\n<script type=\"module\" src=\"/static/view-e2e.js\"></script>"
        let alert = message.map { "<p class=\"form-error\" role=\"alert\" id=\"password-error\">\(t($0))</p>" } ?? ""
        let described = message == nil ? "" : " aria-describedby=\"password-error\""
        // An encrypted share's password never leaves the page: its form posts nowhere and its field has no name, so
        // without the page's script nothing is sent (the script sends only PBKDF2's access half).
        let encrypted = record.keyWrap != nil
        let form =
            encrypted
            ? "<noscript><p>\(t("This share is encrypted end to end: it opens in this browser only, with JavaScript on."))</p></noscript>\n<form class=\"unlock\">"
            : "<form method=\"post\" action=\"/s/\(id)/unlock\" class=\"unlock\">"
        let field = encrypted ? "" : " name=\"password\""
        let body = """
            <article class="locked" id="locked" data-share="\(id)"\(wrap)>
            <h1>\(t("This share has a password"))</h1>
            <p>\(t("Enter the password you were given to see the files."))</p>
            \(alert)
            \(form)
            <label for="password">\(t("Password"))</label>
            <input id="password"\(field) type="password" autocomplete="current-password" required\(described)>
            <button type="submit">\(t("Open"))</button>
            </form>
            </article>\(script)
            """
        var response = HTTPResponse(
            status: HTTPStatus(status), contentType: "text/html; charset=utf-8", body: page(title: t("Password needed"), body: body))
        response.headers.set("Cache-Control", "no-store")
        return response
    }
}
