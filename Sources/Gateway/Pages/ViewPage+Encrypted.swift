import Foundation
import HTTPServer
import S3Common

extension ViewPage {
    /// The page of an end-to-end encrypted share: nothing but "Encrypted share" until the page's script has the key
    /// (from the link's `#k=`, or unwrapped with the password); then it decrypts the manifest and lists the files, each
    /// decrypted in the browser to show or save. The gateway knows no name, type or size to put here.
    static func encrypted(_ record: ShareRecord) -> HTTPResponse {
        let wrap =
            record.keyWrap.map {
                " data-wrap-salt=\"\(escape($0.salt))\" data-wrap-iterations=\"\($0.iterations)\" data-wrap-nonce=\"\(escape($0.nonce))\" "
                    + "data-wrap-wrapped=\"\(escape($0.wrapped))\""
            } ?? ""
        let limit = record.maxDownloads.map { " data-limit=\"\($0)\"" } ?? ""
        // The script shows a decrypted file only if its type is one of these (the same list as for plain shares).
        let inline = " data-inline-types=\"\(InlineSafety.names.joined(separator: " "))\""
        // The files (numbered as in their links) with a sealed thumbnail, which the script decrypts and shows.
        let numbers = record.files.indices.filter { record.files[$0].thumbnail != nil }.map { String($0 + 1) }
        let thumbnails = numbers.isEmpty || record.burnAfterReading == true ? "" : " data-thumbnails=\"\(numbers.joined(separator: " "))\""
        let body = """
            <article class="share encrypted" id="e2e" data-share="\(record.id)" data-files="\(record.files.count)"\(limit)\(inline)\(thumbnails)\(wrap)>
            <h1 id="title">\(t("Encrypted share"))</h1>
            <p class="facts-line">\(t("Expires")) \(date(record.expiresAt)).</p>
            <p id="e2e-status" role="status">\(t("This share is encrypted end to end. Its key is the part of the link after the #; without it nothing can be shown."))</p>
            <ol id="e2e-files" class="files" aria-label="\(t("Files"))"></ol>
            </article>
            <script type="module" src="/static/view-e2e.js"></script>
            """
        var response = HTTPResponse(status: 200, contentType: "text/html; charset=utf-8", body: page(title: t("Encrypted share"), body: body))
        response.headers.set("Cache-Control", "no-store")
        return response
    }
}
