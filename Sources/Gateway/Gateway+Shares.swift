import DropgateAPI
import Foundation
import HTTPServer
import S3Client
import S3Common

extension GatewayCore {
    /// `GET /s/{id}`: the view page, or a friendly 404/410 page.
    func viewPage(_ request: HTTPRequest) -> HTTPResponse {
        let id = request.pathParameters["id"] ?? ""
        do {
            guard let record = try shares.load(id) else {
                return ViewPage.unavailable(
                    status: 404, title: "Share not found", message: "There is no share at this link. Check that it was copied whole.")
            }
            if let reason = record.unavailability(at: now()) {
                return ViewPage.unavailable(status: 410, title: "Share no longer available", message: reason)
            }
            return ViewPage.share(record, now: now())
        } catch {
            return errorPage(error)
        }
    }

    /// `GET /s/{id}/raw`: 302 to a fresh presigned GET (inline when the type is safe to render, else and with
    /// `?download=1` as an attachment); counts a download. `HEAD` answers whether it would work and counts nothing.
    func rawDownload(_ request: HTTPRequest) -> HTTPResponse {
        let id = request.pathParameters["id"] ?? ""
        if request.method == "HEAD" { return rawProbe(id) }
        do {
            var refusal: String?
            let updated = try shares.update(id) { record in
                refusal = record.unavailability(at: now())
                if refusal == nil { record.downloads += 1 }
                return refusal == nil
            }
            guard let record = updated else {
                return ViewPage.unavailable(status: 404, title: "Share not found", message: "There is no share at this link.")
            }
            if let reason = refusal {
                return ViewPage.unavailable(status: 410, title: "Share no longer available", message: reason)
            }
            let disposition = request.queryValue("download") == "1" || !InlineSafety.isSafeInline(record.contentType) ? "attachment" : "inline"
            if record.maxDownloads != nil { return proxiedDownload(record, disposition: disposition) }
            var response = HTTPResponse(status: 302)
            response.headers.set("Location", try presignedGet(record, disposition: disposition))
            response.headers.set("Cache-Control", "no-store")
            return response
        } catch {
            return errorPage(error)
        }
    }

    /// A limited share's bytes, streamed through the gateway from the store: a presigned URL could be fetched again
    /// and again while it lives, so for a share with `maxDownloads` none is handed out, and each counted download is
    /// exactly one transfer. (The upload path still never carries bytes.)
    func proxiedDownload(_ record: ShareRecord, disposition: String) -> HTTPResponse {
        let client = self.client
        let key = record.key
        var response = HTTPResponse(
            status: 200,
            body: .stream(length: record.size) { writer in
                var failure: (any Error)?
                try client.streamObject(key: key) { chunk in
                    do {
                        try writer.write(chunk)
                        return true
                    } catch {
                        failure = error
                        return false
                    }
                }
                if let failure { throw failure }
            })
        let type = Self.servedType(record.contentType)
        response.headers.set("Content-Type", type)
        response.headers.set("Content-Disposition", contentDisposition(record, disposition))
        response.headers.set("X-Content-Type-Options", "nosniff")
        if !InlineSafety.isSafeInline(type) { response.headers.set("Content-Security-Policy", "sandbox") }
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// `HEAD /s/{id}/raw`: 200 when a download would be served, 404 or 410 otherwise; never counts, mints no URL.
    func rawProbe(_ id: String) -> HTTPResponse {
        do {
            guard let record = try shares.load(id) else { return HTTPResponse(status: 404) }
            var response = HTTPResponse(status: record.unavailability(at: now()) == nil ? 200 : 410)
            response.headers.set("Cache-Control", "no-store")
            return response
        } catch {
            return errorPage(error)
        }
    }

    /// The page for an error on a share route: the gateway's own refusal as it is (`credentials_expired` stays a
    /// 503 that says so), the store's as 502 or 503, anything else as a 500 that reveals nothing.
    func errorPage(_ error: any Error) -> HTTPResponse {
        let apiError = Gateway.apiError(for: error, logger: logger)
        let title =
            switch apiError.status {
            case 503: "Temporarily unavailable"
            case 502: "Storage error"
            case 500: "Something went wrong"
            default: "This link cannot be opened"
            }
        return ViewPage.unavailable(status: apiError.status, title: title, message: apiError.message)
    }

    /// `DELETE /api/shares/{id}` with `Authorization: Bearer <deleteToken>`: revokes the share and deletes the object.
    func revokeShare(_ request: HTTPRequest) throws -> HTTPResponse {
        let id = request.pathParameters["id"] ?? ""
        guard let token = Gateway.bearer(request), DeleteToken.verify(token, shareID: id, secret: secret) else {
            throw GatewayError(401, "unauthorized", "Revoking a share needs its delete token: Authorization: Bearer <deleteToken>.")
        }
        guard
            let record = try shares.update(
                id,
                { record in
                    record.revoked = true
                    return true
                })
        else {
            throw GatewayError(404, "unknown_share", "There is no share \(id).")
        }
        for key in Set([record.key, ObjectKey.staging(of: record.key)]) { try client.deleteObject(key: key) }
        try releaseQuota(of: record)
        return HTTPResponse(status: 204)
    }

    /// `GET /s/{id}/qr.svg`: the share link as a QR code (SVG, drawn from libqrencode); 404 or 410 like the link.
    func qrCode(_ request: HTTPRequest) throws -> HTTPResponse {
        let id = request.pathParameters["id"] ?? ""
        guard let record = try shares.load(id) else { throw GatewayError(404, "unknown_share", "There is no share with this id.") }
        if let reason = record.unavailability(at: now()) { throw GatewayError(410, "share_unavailable", reason) }
        let link = shareURL(record.id)
        guard let code = QRCode(link) else { throw GatewayError(500, "internal_error", "The link could not be drawn as a QR code.") }
        var response = HTTPResponse(status: 200, contentType: "image/svg+xml", body: code.svg(title: "QR code of \(link)"))
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// `GET /api/shares/{id}`: the share's public facts as JSON.
    func describeShare(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let record = try shares.load(request.pathParameters["id"] ?? "") else {
            throw GatewayError(404, "unknown_share", "There is no share with this id.")
        }
        if let reason = record.unavailability(at: now()) { throw GatewayError(410, "share_unavailable", reason) }
        let facts = ShareFacts(
            id: record.id, filename: record.filename, size: record.size, contentType: record.contentType,
            createdAt: Date(timeIntervalSince1970: TimeInterval(record.createdAt)),
            expiresAt: Date(timeIntervalSince1970: TimeInterval(record.expiresAt)),
            downloads: record.downloads, maxDownloads: record.maxDownloads)
        return HTTPResponse.json(facts, status: 200)
    }
}
