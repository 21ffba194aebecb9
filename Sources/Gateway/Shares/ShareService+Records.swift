import Crypto
import DropgateAPI
import EndToEnd
import Foundation
import HTTPServer
import HTTPWire
import S3Client
import SigV4

extension ShareService {
    /// Creates the share of verified files: indexes every upload key to the share (refusing, 409, a file another share
    /// already serves), charges the owner's quota, then writes the record create-only.
    ///
    /// - Returns: the record, and false when it existed already (another gateway, or an earlier attempt, made it).
    func createShare(
        id: String, files: [(uploadKey: String, file: SharedFile)], terms: ShareTerms, owner: String?, password: String?, keyWrap: KeyWrap?,
        encrypted: Bool, link: String? = nil, burnAfterReading: Bool = false, cardImage: Bool = false
    ) throws
        -> (ShareRecord, created: Bool)
    {
        let created = Int64(now().timeIntervalSince1970)
        let (expiresAt, overflow) = created.addingReportingOverflow(Int64(terms.expiresIn))
        guard !overflow else { throw GatewayError.badRequest(.invalidExpiry, "expiresIn is out of range.") }
        for (uploadKey, file) in files {
            guard let indexed = try shares.saveIndex(uploadKey: uploadKey, shareID: id), indexed != id else { continue }
            throw GatewayError(
                409, .alreadyShared, "\(file.filename, as: "filename") is already shared at another link; upload it again to share it here.")
        }
        let size = files.reduce(Int64(0)) { $0 + $1.file.size }
        if let owner {
            do {
                try access.quota.charge(owner, share: id, size: size, at: Int64((now().timeIntervalSince1970 * 1_000).rounded(.down)))
            } catch let error as GatewayError where error.code == .quotaExceeded {
                for (uploadKey, file) in files {
                    try? client.deleteObject(key: file.key)
                    try? client.deleteObject(key: ShareStore.indexKey(forUploadKey: uploadKey))
                }
                let problem = error.wording
                throw GatewayError(
                    403, .quotaExceeded,
                    files.count == 1 ? "\(problem, as: "problem") The upload was deleted." : "\(problem, as: "problem") The uploads were deleted.")
            }
        }
        // Hashed only once the files are this share's, so no other set of the same receipts makes the gateway hash again.
        var record = ShareRecord(
            id: id, files: files.map(\.file), createdAt: created, expiresAt: expiresAt, maxDownloads: terms.maxDownloads, revoked: false,
            owner: owner, password: try password.map { try access.hashed($0) }, encrypted: encrypted ? true : nil,
            keyWrap: keyWrap, link: link, burnAfterReading: burnAfterReading ? true : nil)
        record.cardImage = cardImage && password == nil && !encrypted && !burnAfterReading ? true : nil
        guard try shares.create(record) else {
            // Another gateway completed the same upload at the same moment: its share is this one.
            guard let existing = try shares.load(id) else {
                // Taken, yet no record to read: one the sweeper is deleting, or one no gateway wrote. It serves nothing.
                throw GatewayError(410, .shareUnavailable, "This upload's share is no longer available; upload the file again.")
            }
            return (existing, false)
        }
        notices.publish(.shareCreated, subject: id, owner: owner, share: id, data: eventDetails(record))
        return (record, true)
    }

    /// What every event of a share says of it: its id, link, title, size and terms (never a token, password or key).
    func eventDetails(_ record: ShareRecord) -> NoticeEvent.Details {
        let listed = record.files[record.firstCounted...]
        let title = record.encrypted == true ? "Encrypted files" : listed.count == 1 ? listed.first?.filename : "\(listed.count) files"
        return NoticeEvent.Details(
            share: record.id, url: shareURL(record.linkName), title: title, maxDownloads: record.maxDownloads,
            expiresAt: Date(timeIntervalSince1970: TimeInterval(record.expiresAt)), files: listed.count, bytes: listed.reduce(0) { $0 + $1.size })
    }

    /// The id of the share of these uploads: derived, so every completion of one upload (or gathering of one set of
    /// uploads) names one share. One upload's id is the one gateways before collections derived.
    func shareID(forUploadKeys keys: [String]) -> String {
        let message = keys.count == 1 ? "share:\(keys[0])" : "collection:" + keys.sorted().joined(separator: "\n")
        let mac = HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return Base64URL.encode(Array(mac).prefix(16))
    }

    /// The completion answer for a share: its link, counted gateway URLs to view and download it, and its delete token;
    /// 410 when the share can no longer be opened (a revoked or expired share's upload cannot mint a new one).
    func answer(_ record: ShareRecord, request: HTTPRequest, status: Int) throws -> HTTPResponse {
        if let reason = record.unavailability(at: now()) { throw GatewayError(410, .shareUnavailable, reason) }
        let link = shareURL(record.linkName)
        if request.headers["accept"] == "text/plain" {
            return HTTPResponse(status: HTTPStatus(status), contentType: "text/plain; charset=utf-8", body: link + "\n")
        }
        let completion = Completion(
            share: ShareLink(id: record.id, url: link), files: fileLinks(record), viewUrl: link + "/raw", downloadUrl: link + "/raw?download=1",
            deleteToken: DeleteToken.make(shareID: record.id, secret: secret), expiresAt: Date(timeIntervalSince1970: TimeInterval(record.expiresAt)))
        return HTTPResponse.json(completion, status: status)
    }

    /// Every file of a share with its own stable link, `/s/{id}/{n}` from 1.
    func fileLinks(_ record: ShareRecord) -> [SharedFileLink] {
        let link = shareURL(record.linkName)
        return record.files.enumerated().map { index, file in
            SharedFileLink(filename: file.filename, size: file.size, contentType: file.contentType, url: "\(link)/\(index + 1)", folder: file.folder)
        }
    }

    func shareURL(_ id: String) -> String {
        "\(publicBase)/s/\(id)"
    }

    /// `gateway.publicURL` without trailing slashes: the base of every link the gateway hands out.
    /// `publicURL` without trailing slashes, for links to append paths to.
    static func publicBase(of publicURL: String) -> String {
        var base = Substring(publicURL)
        while base.hasSuffix("/") { base.removeLast() }
        return String(base)
    }

    /// `attachment; filename="a_b.txt"; filename*=UTF-8''a%20b.txt` (RFC 6266), the sanitized name and the real one.
    func contentDisposition(_ file: SharedFile, _ disposition: String) -> String {
        "\(disposition); filename=\"\(ObjectKey.sanitize(file.filename))\"; filename*=UTF-8''\(PercentEncoding.encode(file.filename))"
    }

    /// The type a share is served with: the verified one, and text always as UTF-8, whatever charset the uploader
    /// declared (a client-chosen `utf-7` could make a browser read markup out of text).
    static func servedType(_ verified: String) -> String {
        guard let type = MediaType(verified) else { return "application/octet-stream" }
        guard type.type == "text" else { return type.description }
        return type.essence + "; charset=utf-8"
    }

    /// A short-lived presigned GET of a shared file, shown inline or downloaded under its original name.
    /// - Parameter receipt: a download log entry's receipt, signed in as `x-dropgate-receipt` so the embedded store can
    ///   say when every byte of it went (see ``DownloadReceipts``).
    func presignedGet(_ file: SharedFile, disposition: String, receipt: String? = nil) throws -> String {
        metrics.presigned(1)
        let header = contentDisposition(file, disposition)
        var query: [SignableRequest.QueryItem] = [
            .init("response-content-disposition", PercentEncoding.encode(header)),
            .init("response-content-type", PercentEncoding.encode(Self.servedType(file.contentType))),
        ]
        if let receipt { query.append(.init("x-dropgate-receipt", PercentEncoding.encode(receipt))) }
        return try presigner.url(
            method: "GET", bucket: settings.storage.bucket, key: file.key, expires: try presignLifetime(settings.shares.linkExpiry).seconds,
            query: query)
    }
}
