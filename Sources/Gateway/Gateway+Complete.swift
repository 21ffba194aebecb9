import Crypto
import DropgateAPI
import Foundation
import HTTPServer
import S3Client
import S3Common
import SigV4

extension GatewayCore {
    /// `POST /api/uploads/{id}/complete`: completes a multipart upload, publishes a single-request upload to a key no
    /// upload URL can write (`shared/…`, by CopyObject), checks the published object with a signed HEAD (deleting it
    /// and answering 422 on any mismatch), and creates the share: 201.
    ///
    /// Idempotent: the share id derives from the upload, so completing again answers 200 with the same share and
    /// delete token, whatever happened in between; a revoked or expired share's upload answers 410.
    func completeUpload(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        guard let id = request.pathParameters["id"], let token = UploadToken.decode(id, secret: secret, now: now()) else {
            throw GatewayError(404, "unknown_upload", "This upload id is not valid, or it has expired: start the upload again.")
        }
        let bodyBytes = try body.readAll(limit: 2 << 20)
        let shareID = shareID(forUploadKey: token.key)
        if let existing = try shares.load(shareID) { return try answer(existing, request: request, status: 200) }
        let created = Int64(now().timeIntervalSince1970)
        let (expiresAt, overflow) = created.addingReportingOverflow(Int64(token.shareExpiresIn))
        guard !overflow else { throw GatewayError(404, "unknown_upload", "This upload id is not valid, or it has expired: start the upload again.") }
        let key = try publish(token, parts: bodyBytes)
        let declared = DeclaredUpload(key: key, size: token.size, contentType: token.contentType, sha256: token.sha256)
        switch try UploadCheck.run(declared, client: client, sniffer: sniffer) {
        case .rejected(let mismatches):
            metrics.uploadCheck(passed: false)
            limiter.release(key: token.key)
            if !mismatches.contains(.missing) { try? client.deleteObject(key: key) }
            let listed = mismatches.map { Mismatch(code: $0.code, message: $0.description) }
            if let typeMismatch = mismatches.first(where: { $0.code == "type_mismatch" }) {
                throw GatewayError(422, "type_mismatch", "\(typeMismatch.description) It was deleted.", mismatches: listed)
            }
            throw GatewayError(
                422, "upload_mismatch",
                "The upload does not match what was declared, so it was deleted: " + mismatches.map(\.description).joined(separator: " "),
                mismatches: listed)
        case .verified:
            metrics.uploadCheck(passed: true)
            do {
                try scan(key)
            } catch let error as GatewayError where error.status != 503 {
                limiter.release(key: token.key)  // infected and deleted; a scanner that is down keeps the upload pending
                throw error
            }
            limiter.release(key: token.key)
            if let owner = token.owner {
                do {
                    try quota.charge(owner, share: shareID, size: token.size)
                } catch let error as GatewayError where error.code == "quota_exceeded" {
                    try? client.deleteObject(key: key)
                    throw GatewayError(403, "quota_exceeded", error.message + " The upload was deleted.")
                }
            }
            let record = ShareRecord(
                id: shareID, key: key, filename: token.filename, size: token.size, contentType: token.contentType, createdAt: created,
                expiresAt: expiresAt, maxDownloads: token.maxDownloads, downloads: 0, revoked: false, owner: token.owner)
            try shares.saveIndex(uploadKey: token.key, shareID: shareID)
            do {
                try shares.save(record, create: true)
            } catch let error as S3ClientError where error.status == 412 {
                // Another gateway completed the same upload at the same moment: its share is this one.
                if let existing = try shares.load(shareID) { return try answer(existing, request: request, status: 200) }
                throw error
            }
            return try answer(record, request: request, status: 201)
        }
    }

    /// The object the share will serve: a multipart upload completed in place (its part URLs die with it), or a
    /// single PUT or form upload copied to `shared/…` and its staging object deleted (a re-posted form or a second
    /// PUT can then only write the staging key, which nothing serves). Retries after a crash find the copy made.
    func publish(_ token: UploadToken, parts body: [UInt8]) throws -> String {
        if let uploadID = token.uploadID {
            do {
                try client.completeMultipartUpload(key: token.key, uploadID: uploadID, parts: try Self.parts(from: body))
            } catch let error as S3ClientError where error.code == "NoSuchUpload" {
                // Completed before (a retry): the check below finds the object, or says it is missing.
            } catch let error as S3ClientError where (400..<500).contains(error.status) {
                throw GatewayError(
                    422, "multipart_failed",
                    "The store could not assemble the parts (\(error.code)): \(error.message.isEmpty ? "check the part numbers and ETags" : error.message)"
                )
            }
            return token.key
        }
        let published = ObjectKey.published(token.key)
        do {
            try client.copyObject(from: token.key, to: published)
        } catch let error as S3ClientError where error.status == 404 {
            return published  // nothing staged: either a retry after the copy (the check finds it) or never uploaded (missing)
        }
        try? client.deleteObject(key: token.key)
        return published
    }

    /// Streams the object from the store into clamd when `uploads.scan.clamd` is set: an infected upload is deleted
    /// and refused (422 `infected`, naming the signature); a scanner that is down refuses with 503
    /// `scanner_unavailable` and keeps the object for a retry, unless `uploads.scan.failOpen`.
    func scan(_ key: String) throws {
        guard let address = settings.uploads.scan.clamd, let scanner = ClamdScanner(address) else { return }
        let verdict: ClamdScanner.Verdict
        do {
            verdict = try scanner.scan { send in try client.streamObject(key: key, consumer: send) }
        } catch let error as ClamdScanner.Unavailable {
            guard settings.uploads.scan.failOpen else {
                throw GatewayError(
                    503, "scanner_unavailable",
                    "The virus scanner is not available (\(error.description)); the upload is kept: complete it again later.")
            }
            logger.warning("sharing \(key) unscanned (uploads.scan.failOpen): \(error.description)")
            return
        }
        if case .infected(let signature) = verdict {
            try? client.deleteObject(key: key)
            throw GatewayError(422, "infected", "The file carries \(signature), so it was deleted and will not be shared.")
        }
    }

    /// The share id of an upload: derived, so every completion of one upload names one share.
    func shareID(forUploadKey key: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("share:\(key)".utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return Base64URL.encode(Array(mac).prefix(16))
    }

    /// The completion answer for a share: its link, counted gateway URLs to view and download it, and its delete token;
    /// 410 when the share can no longer be opened (a revoked or expired share's upload cannot mint a new one).
    func answer(_ record: ShareRecord, request: HTTPRequest, status: Int) throws -> HTTPResponse {
        if let reason = record.unavailability(at: now()) { throw GatewayError(410, "share_unavailable", reason) }
        let link = shareURL(record.id)
        if request.headers["accept"] == "text/plain" {
            return HTTPResponse(status: HTTPStatus(status), contentType: "text/plain; charset=utf-8", body: link + "\n")
        }
        let completion = Completion(
            share: ShareLink(id: record.id, url: link), viewUrl: link + "/raw", downloadUrl: link + "/raw?download=1",
            deleteToken: DeleteToken.make(shareID: record.id, secret: secret), expiresAt: Date(timeIntervalSince1970: TimeInterval(record.expiresAt)))
        return HTTPResponse.json(completion, status: status)
    }

    /// `{"parts":[{"partNumber":1,"etag":"…"}]}`, in ascending order.
    static func parts(from bytes: [UInt8]) throws -> [UploadedPart] {
        guard let body = try? APIJSON.decode(CompletionRequest.self, from: bytes), let parts = body.parts, !parts.isEmpty, parts.count <= 10_000
        else {
            throw GatewayError.badRequest("invalid_parts", "A multipart upload completes with {\"parts\":[{\"partNumber\":1,\"etag\":\"…\"},…]}.")
        }
        return parts.map { UploadedPart(partNumber: $0.partNumber, etag: ASCIIText.unquoted($0.etag)) }
    }

    func shareURL(_ id: String) -> String {
        "\(publicBase)/s/\(id)"
    }

    /// `gateway.publicURL` without trailing slashes: the base of every link the gateway hands out.
    var publicBase: String {
        var base = Substring(settings.gateway.publicURL)
        while base.hasSuffix("/") { base.removeLast() }
        return String(base)
    }

    /// `attachment; filename="a_b.txt"; filename*=UTF-8''a%20b.txt` (RFC 6266), the sanitized name and the real one.
    func contentDisposition(_ record: ShareRecord, _ disposition: String) -> String {
        "\(disposition); filename=\"\(ObjectKey.sanitize(record.filename))\"; filename*=UTF-8''\(PercentEncoding.encode(record.filename))"
    }

    /// The type a share is served with: the verified one, and for text UTF-8 unless it declared its own charset.
    static func servedType(_ verified: String) -> String {
        guard let type = MediaType(verified) else { return "application/octet-stream" }
        guard type.type == "text", type.parameter("charset") == nil else { return type.description }
        return type.description + "; charset=utf-8"
    }

    /// A short-lived presigned GET of a share's object, shown inline or downloaded under its original name.
    func presignedGet(_ record: ShareRecord, disposition: String) throws -> String {
        metrics.presigned(1)
        let header = contentDisposition(record, disposition)
        return try presigner.url(
            method: "GET", bucket: settings.storage.bucket, key: record.key, expires: try presignLifetime(settings.shares.linkExpiry).seconds,
            query: [
                .init("response-content-disposition", PercentEncoding.encode(header)),
                .init("response-content-type", PercentEncoding.encode(Self.servedType(record.contentType))),
            ])
    }
}
