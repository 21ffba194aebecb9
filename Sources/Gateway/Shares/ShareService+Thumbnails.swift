import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire
import SigV4

extension ShareService {
    /// `GET /s/{id}/{n}/thumb`: 302 to a short-lived presigned GET of file `n`'s thumbnail, which the uploader's browser
    /// drew (the gateway never decodes or carries it). It counts no download and burns nothing, so a share that burns
    /// after reading shows none, and a share behind a password shows its thumbnails only once unlocked. 404 for a file
    /// without one.
    func thumbnail(_ request: HTTPRequest) -> HTTPResponse {
        let path = request.pathParameters["id"] ?? ""
        let none = { ViewPage.unavailable(status: 404, title: "No thumbnail", message: "This file has no thumbnail.") }
        do {
            guard let record = try shares.load(path, counting: false), let index = Self.fileIndex(request, in: record) else { return none() }
            guard isUnlocked(record, request) else {
                return ViewPage.unavailable(status: 403, title: "Password needed", message: "Open the share's link and enter its password first.")
            }
            if let reason = record.unavailability(at: now()) {
                return ViewPage.unavailable(status: 410, title: "Share no longer available", message: reason)
            }
            let file = record.files[index]
            guard record.burnAfterReading != true, let type = file.thumbnail else { return none() }
            metrics.presigned(1)
            let query: [SignableRequest.QueryItem] = [
                .init("response-content-type", PercentEncoding.encode(type)),
                .init("response-content-disposition", PercentEncoding.encode("inline; filename=\"thumbnail\"")),
                .init("response-cache-control", PercentEncoding.encode("private, max-age=300")),
            ]
            let url = try presigner.url(
                method: "GET", bucket: settings.storage.bucket, key: ObjectKey.thumbnail(of: file.key),
                expires: try presignLifetime(min(settings.shares.linkExpiry, 600)).seconds, query: query)
            var response = HTTPResponse(status: 302)
            response.headers.set("Location", url)
            // The redirect may be reused while its URL lives; a revoked share's thumbnail then dies with it.
            response.headers.set("Cache-Control", "private, max-age=240")
            return response
        } catch {
            return errorPage(error)
        }
    }

    /// The link of the first thumbnail a card may show: only when the owner allowed it, for a share that is neither
    /// behind a password nor encrypted nor burned after reading.
    func cardImage(_ record: ShareRecord) -> String? {
        guard record.cardImage == true, record.password == nil, record.encrypted != true, record.burnAfterReading != true,
            let index = record.files.firstIndex(where: { $0.thumbnail != nil })
        else { return nil }
        return publicBase + "/s/\(record.id)/\(index + 1)/thumb"
    }
}
