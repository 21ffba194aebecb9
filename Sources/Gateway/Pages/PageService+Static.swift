import Foundation
import HTTPServer

extension PageService {
    /// Serves a page from memory; 404 for anything else. A script, style or catalog carries its version as its
    /// `ETag` (a browser that has it gets a 304 and no bytes), and is kept for a year when asked for by that version
    /// (`?v=`, as pages ask for their catalog). Pages themselves are written per language, so they carry neither.
    func staticFile(_ name: String, request: HTTPRequest) throws -> HTTPResponse {
        guard let file = pages.files[name] else { throw GatewayError(404, .notFound, "There is no file \(name, as: "name").") }
        guard !file.contentType.hasPrefix("text/html") else {
            var page = HTTPResponse(status: 200, body: .bytes(file.bytes))
            page.headers.set("Content-Type", file.contentType)
            page.headers.set("Cache-Control", "no-cache")
            return page
        }
        let tag = "\"\(file.version)\""
        let fresh = request.headers["if-none-match"].map { Self.matches($0, tag) } ?? false
        var response = HTTPResponse(status: fresh ? 304 : 200, body: .bytes(fresh ? [] : file.bytes))
        if !fresh { response.headers.set("Content-Type", file.contentType) }
        response.headers.set("ETag", tag)
        let pinned = request.queryValue("v") == file.version
        response.headers.set("Cache-Control", pinned ? "public, max-age=31536000, immutable" : "no-cache")
        return response
    }

    /// Whether an `If-None-Match` field names `tag` (or is `*`), its entries parsed as a list, weak or strong alike.
    static func matches(_ field: String, _ tag: String) -> Bool {
        field.utf8.count <= 4_096
            && field.split(separator: ",").contains { entry in
                let trimmed = entry.trimmingCharacters(in: .whitespaces)
                return trimmed == "*" || trimmed == tag || trimmed == "W/" + tag
            }
    }
}
