import DropgateAPI
import Foundation
import HTTPServer
import S3Client
import S3Common

extension ShareService {
    /// `GET /s/{id}`: the view page (one file, or the list of a collection's), the password form of a share with a
    /// password, or a friendly 404/410 page.
    func viewPage(_ request: HTTPRequest) -> HTTPResponse {
        sharePage(request) { record in ViewPage.share(record, now: now()) }
    }

    /// `GET /s/{id}/{n}`: the page of a share's file `n` (from 1), its own stable link.
    func filePage(_ request: HTTPRequest) -> HTTPResponse {
        sharePage(request) { record in
            guard let index = Self.fileIndex(request, in: record) else {
                return ViewPage.unavailable(status: 404, title: "File not found", message: "This share has no such file.")
            }
            return record.encrypted == true ? ViewPage.encrypted(record) : ViewPage.file(record, index: index, now: now())
        }
    }

    /// A page of a live share the request may see (it knows the password, when there is one).
    func sharePage(_ request: HTTPRequest, _ page: (ShareRecord) -> HTTPResponse) -> HTTPResponse {
        let id = request.pathParameters["id"] ?? ""
        do {
            guard let record = try shares.load(id) else {
                return ViewPage.unavailable(
                    status: 404, title: "Share not found", message: "There is no share at this link. Check that it was copied whole.")
            }
            if let reason = record.unavailability(at: now()) {
                return ViewPage.unavailable(status: 410, title: "Share no longer available", message: reason)
            }
            // Every live share's page carries its link card; building it reads no file and counts nothing.
            let card = LinkCard(record, url: shareURL(record.linkName), image: cardImage(record))
            guard isUnlocked(record, request) else { return ViewPage.withCard(ViewPage.passwordForm(record, status: 200, message: nil), card) }
            return ViewPage.withCard(page(record), card)
        } catch {
            return errorPage(error)
        }
    }

    /// The file index a `{n}` path parameter names (1-based on the wire), if the share has it.
    static func fileIndex(_ request: HTTPRequest, in record: ShareRecord) -> Int? {
        guard let text = request.pathParameters["n"], text.utf8.count <= 4, text.utf8.first != 0x30, let number = Int(text),
            (1...record.files.count).contains(number)
        else { return nil }
        return number - 1
    }

    /// `GET /s/{id}/raw` (the first file) and `GET /s/{id}/{n}/raw`: 302 to a fresh presigned GET (inline when the type
    /// is safe to render, else and with `?download=1` as an attachment); counts a download. `HEAD` answers whether it
    /// would work and counts nothing.
    func rawDownload(_ request: HTTPRequest) -> HTTPResponse {
        let path = request.pathParameters["id"] ?? ""
        // Pages built only when answered: a download that succeeds renders none.
        let noShare = { ViewPage.unavailable(status: 404, title: "Share not found", message: "There is no share at this link.") }
        let notFound = { ViewPage.unavailable(status: 404, title: "File not found", message: "This share has no such file.") }
        let locked = { ViewPage.unavailable(status: 403, title: "Password needed", message: "Open the share's link and enter its password first.") }
        do {
            if request.method == "HEAD" {
                guard let record = try shares.load(path) else { return noShare() }
                guard let index = Self.rawIndex(request, in: record) else { return notFound() }
                guard isUnlocked(record, request) else { return locked() }
                var response = HTTPResponse(status: record.unavailability(ofFile: index, at: now()) == nil ? 200 : 410)
                response.headers.set("Cache-Control", "no-store")
                return response
            }
            // The record, and whether it was revoked; a limited file's count is its claim below, made only once
            // everything else allows the download.
            guard let record = try shares.load(path, counting: false) else { return noShare() }
            let id = record.id  // the path may name it by its readable link: counts and claims go to its id
            guard let index = Self.rawIndex(request, in: record) else { return notFound() }
            guard isUnlocked(record, request) else { return locked() }
            let gone = { (reason: Wording) in ViewPage.unavailable(status: 410, title: "Share no longer available", message: reason) }
            if let reason = record.unavailability(ofFile: index, at: now()) { return gone(reason) }
            var entry: String?
            if index >= record.firstCounted {
                if let limit = record.maxDownloads {
                    let counted = record.files[index].downloads
                    let slots = record.slotLimit(ofFile: index, limit: limit)
                    guard let slot = try shares.ledger.claim(id, file: record.ledgerIndex(index), limit: slots, counted: counted) else {
                        let single = record.files.count - record.firstCounted == 1
                        return gone(
                            single
                                ? "This share reached its download limit."
                                : "\(record.files[index].filename, as: "filename") reached its download limit.")
                    }
                    publishDownload(record, index: index, subject: "\(record.ledgerIndex(index))/\(slot)", count: slot, lastSlot: slot == slots)
                    _ = logDownload(record, index: index, request: request, receipt: "transfer_started")
                } else {
                    countUnlimited(id, file: record.ledgerIndex(index))
                    publishDownload(record, index: index, subject: "u/" + Base64URL.random(bytes: 12), count: nil, lastSlot: false)
                    // The embedded store says when every byte of the GET went: the log then knows the download completed.
                    let embedded = settings.storage.mode == .embedded
                    entry = logDownload(record, index: index, request: request, receipt: embedded ? "store_link" : "link_followed")
                        .map { DownloadReceipts.receipt(share: id, entry: $0) }
                }
            }
            let file = record.files[index]
            let disposition = request.queryValue("download") == "1" || !InlineSafety.isSafeInline(file.contentType) ? "attachment" : "inline"
            if record.maxDownloads != nil { return proxiedDownload(file, disposition: disposition) }
            var response = HTTPResponse(status: 302)
            response.headers.set("Location", try presignedGet(file, disposition: disposition, receipt: entry))
            response.headers.set("Cache-Control", "no-store")
            return response
        } catch {
            return errorPage(error)
        }
    }

    /// The file a `raw` route names: `/s/{id}/raw` is the first, `/s/{id}/{n}/raw` file `n`.
    static func rawIndex(_ request: HTTPRequest, in record: ShareRecord) -> Int? {
        request.pathParameters["n"] == nil ? 0 : fileIndex(request, in: record)
    }

    /// A limited share's bytes, streamed through the gateway from the store: a presigned URL could be fetched again
    /// and again while it lives, so for a share with `maxDownloads` none is handed out, and each counted download is
    /// exactly one transfer. (The upload path still never carries bytes.)
    func proxiedDownload(_ file: SharedFile, disposition: String) -> HTTPResponse {
        let client = self.client
        let key = file.key
        var response = HTTPResponse(
            status: 200,
            body: .stream(length: file.size) { writer in
                var failure: (any Error)?
                do {
                    try client.streamObject(key: key) { chunk in
                        do {
                            try writer.write(chunk)
                            return true
                        } catch {
                            failure = error
                            return false
                        }
                    }
                } catch let error as S3ClientError {
                    // Before any byte went out (the server then sends this page instead): the file was deleted meanwhile
                    // (revoked or swept), or the store failed.
                    throw PageError(
                        page: error.status == 404
                            ? ViewPage.unavailable(status: 410, title: "Share no longer available", message: "This file was deleted.")
                            : ViewPage.unavailable(status: 502, title: "Storage error", message: "The file could not be read from storage."))
                }
                if let failure { throw failure }
            })
        let type = Self.servedType(file.contentType)
        response.headers.set("Content-Type", type)
        response.headers.set("Content-Disposition", contentDisposition(file, disposition))
        response.headers.set("X-Content-Type-Options", "nosniff")
        if !InlineSafety.isSafeInline(type) { response.headers.set("Content-Security-Policy", "sandbox") }
        response.headers.set("Cache-Control", "no-store")
        return response
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
        return ViewPage.unavailable(status: apiError.status, title: title, message: apiError.wording)
    }

    /// `DELETE /api/shares/{id}` with `Authorization: Bearer <deleteToken>`: revokes the share and deletes its objects.
    func revokeShare(_ request: HTTPRequest) throws -> HTTPResponse {
        var id = request.pathParameters["id"] ?? ""
        guard let token = Gateway.bearer(request) else {
            throw GatewayError(401, .unauthorized, "Revoking a share needs its delete token: Authorization: Bearer <deleteToken>.")
        }
        // A readable link names its share's id; a random id is checked before anything is read.
        if !ShareStore.isValidID(id), let linked = try shares.linkedID(id) { id = linked }
        guard DeleteToken.verify(token, shareID: id, secret: secret) else {
            throw GatewayError(401, .unauthorized, "Revoking a share needs its delete token: Authorization: Bearer <deleteToken>.")
        }
        guard let record = try shares.load(id, counting: false) else {
            throw GatewayError(404, .unknownShare, "There is no share \(id, as: "id").")
        }
        return try revoke(record)
    }

    /// Revokes a share whose right to do so was shown (its delete token, or its owner's session).
    func revoke(_ record: ShareRecord) throws -> HTTPResponse {
        // Create-only, so no download or concurrent edit can undo it; every read checks it from here on.
        try shares.ledger.revoke(record.id)
        try deleteObjects(of: record)
        try access.releaseQuota(of: record)
        notices.publish(.shareRevoked, subject: record.id, owner: record.owner, share: record.id, data: eventDetails(record))
        return HTTPResponse(status: 204)
    }

    /// The events of one counted download: `share.downloaded`, and `share.download_limit_reached` when it took the
    /// file's last slot. A limited share's bytes go through the gateway (the transfer has started), an unlimited one's
    /// link sends the browser to the store (the gateway cannot see the bytes arrive): each event says which.
    /// Nothing of the events is made unless someone listens (see ``NoticeCenter/publish(_:subject:owner:share:data:)``).
    func publishDownload(_ record: ShareRecord, index: Int, subject: @autoclosure () -> String, count: Int?, lastSlot: Bool) {
        let details = { () -> NoticeEvent.Details in
            var details = eventDetails(record)
            details.file = record.encrypted == true ? nil : record.files[index].filename
            details.fileNumber = index + 1 - record.firstCounted
            details.downloads = count
            details.receipt = record.maxDownloads == nil ? "link_followed" : "transfer_started"
            return details
        }
        notices.publish(.shareDownloaded, subject: "\(record.id)/\(subject())", owner: record.owner, share: record.id, data: details())
        if lastSlot {
            notices.publish(.shareDownloadLimitReached, subject: "\(record.id)/\(index)", owner: record.owner, share: record.id, data: details())
        }
    }

    /// Adds the download to the share's log: when, which file, the agent's family and the visitor's mark (no address).
    func logDownload(_ record: ShareRecord, index: Int, request: HTTPRequest, receipt: String) -> String? {
        guard settings.shares.logRetention > 0 else { return nil }  // 0 keeps no log at all
        return downloadLog.record(
            share: record.id, file: index + 1 - record.firstCounted, client: access.client(of: request).text,
            userAgent: request.headers["user-agent"],
            receipt: receipt)
    }

    /// Counts a download of an unlimited share's file. The count only informs, so a store that refuses it does not
    /// fail the download: the failure is logged.
    func countUnlimited(_ id: String, file: Int) {
        do {
            try shares.ledger.countUnlimited(id, file: file)
        } catch {
            logger.warning("could not count a download of share \(id): \(error)")
        }
    }

    /// Deletes every object a share serves, the staging objects its files were published from, and their thumbnails.
    func deleteObjects(of record: ShareRecord) throws {
        for file in record.files {
            for key in Set([file.key, ObjectKey.staging(of: file.key)]) { try client.deleteObject(key: key) }
            if file.thumbnail != nil { try client.deleteObject(key: ObjectKey.thumbnail(of: file.key)) }
        }
    }

    /// `GET /s/{id}/qr.svg`: the share link as a QR code (SVG, drawn from libqrencode); 404 or 410 like the link.
    func qrCode(_ request: HTTPRequest) throws -> HTTPResponse {
        let id = request.pathParameters["id"] ?? ""
        guard let record = try shares.load(id) else { throw GatewayError(404, .unknownShare, "There is no share with this id.") }
        if let reason = record.unavailability(at: now()) { throw GatewayError(410, .shareUnavailable, reason) }
        let link = shareURL(record.linkName)
        guard let code = QRCode(link) else { throw GatewayError(500, .internalError, "The link could not be drawn as a QR code.") }
        var response = HTTPResponse(status: 200, contentType: "image/svg+xml", body: code.svg(title: "QR code of \(link)"))
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// `GET /api/shares/{id}`: the share's public facts as JSON; a share with a password tells nothing but that, unless
    /// the request carries its unlock cookie (as `dropgate download` sends it).
    func describeShare(_ request: HTTPRequest) throws -> HTTPResponse {
        guard var record = try shares.load(request.pathParameters["id"] ?? "") else {
            throw GatewayError(404, .unknownShare, "There is no share with this id.")
        }
        if let reason = record.unavailability(at: now()) { throw GatewayError(410, .shareUnavailable, reason) }
        guard isUnlocked(record, request) else {
            throw GatewayError(401, .passwordRequired, "This share has a password: open its link and enter it.")
        }
        // An unlimited share's downloads are listed only for a request that may see them (a limited one's are counted).
        if record.maxDownloads == nil { record = try shares.counted(record) }
        let first = record.files[0]
        let facts = ShareFacts(
            id: record.id, filename: first.filename, size: first.size, contentType: first.contentType,
            createdAt: Date(timeIntervalSince1970: TimeInterval(record.createdAt)),
            expiresAt: Date(timeIntervalSince1970: TimeInterval(record.expiresAt)),
            downloads: record.downloads, maxDownloads: record.maxDownloads, files: fileLinks(record), encrypted: record.encrypted,
            keyWrap: record.keyWrap)
        return HTTPResponse.json(facts, status: 200)
    }

    /// `GET /api/shares/{id}/unlock`: whether the share needs a password, and for an encrypted one the public half of
    /// its key wrap (what its password page shows too).
    func unlockInfo(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let record = try shares.load(request.pathParameters["id"] ?? "") else {
            throw GatewayError(404, .unknownShare, "There is no share with this id.")
        }
        if let reason = record.unavailability(at: now()) { throw GatewayError(410, .shareUnavailable, reason) }
        return HTTPResponse.json(
            UnlockInfo(passwordRequired: record.password != nil, salt: record.keyWrap?.salt, iterations: record.keyWrap?.iterations), status: 200)
    }
}
