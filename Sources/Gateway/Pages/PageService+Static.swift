import Foundation
import HTTPServer

extension PageService {
    /// Serves a page from memory; 404 for anything else.
    func staticFile(_ name: String, request: HTTPRequest) throws -> HTTPResponse {
        guard let file = pages.files[name] else { throw GatewayError(404, .notFound, "There is no file \(name, as: "name").") }
        var response = HTTPResponse(status: 200, body: .bytes(file.bytes))
        response.headers.set("Content-Type", file.contentType)
        response.headers.set("Cache-Control", "no-cache")
        return response
    }
}
