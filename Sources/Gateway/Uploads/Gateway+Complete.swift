import Crypto
import DropgateAPI
import EndToEnd
import Foundation
import HTTPServer
import S3Client
import S3Common
import SigV4

extension GatewayCore {
    /// `POST /api/uploads/{id}/complete`: completes a multipart upload, publishes a single-request upload to a key no
    /// upload URL can write (`shared/…`, by CopyObject), checks the published object with a signed HEAD (deleting it
    /// and answering 422 on any mismatch), and creates the share: 201. With `"collection": true` it creates no share
    /// but answers 200 with a receipt of the verified file, for `POST /api/shares` to gather with others.
    ///
    /// Idempotent: the share id derives from the upload, so completing again answers 200 with the same share and
    /// delete token, whatever happened in between; a revoked or expired share's upload answers 410.
    func completeUpload(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        guard let id = request.pathParameters["id"], let token = UploadToken.decode(id, secret: secret, now: now()) else {
            throw GatewayError(404, .unknownUpload, "This upload id is not valid, or it has expired: start the upload again.")
        }
        let input = try Self.completionRequest(from: try body.readAll(limit: 2 << 20))
        if input.collection == true {
            let file = try verify(token, parts: input.parts)
            let receipt = VerifiedFile(
                uploadKey: token.key, file: file, owner: token.owner, expiresAt: token.expiresAt, sealed: token.sealedRecordSize != nil)
            return HTTPResponse.json(
                VerifiedUpload(
                    receipt: SignedToken.seal(receipt, purpose: VerifiedFile.purpose, secret: secret), filename: file.filename, size: file.size,
                    contentType: file.contentType), status: 200)
        }
        let shareID = shareID(forUploadKeys: [token.key])
        if let existing = try shares.load(shareID) { return try answer(existing, request: request, status: 200) }
        guard token.sealedRecordSize == nil else {
            throw GatewayError.badRequest(
                .encryptedNeedsCollection,
                "An encrypted upload is shared with its manifest: complete it with \"collection\": true, then POST /api/shares.")
        }
        let file = try verify(token, parts: input.parts)
        let (record, created) = try createShare(
            id: shareID, files: [(token.key, file)], terms: ShareTerms(expiresIn: token.shareExpiresIn, maxDownloads: token.maxDownloads),
            owner: token.owner, password: nil, keyWrap: nil, encrypted: false)
        return try answer(record, request: request, status: created ? 201 : 200)
    }

    /// Publishes an upload and checks it (and scans it, when a scanner is set): the file a share may serve, or the
    /// refusal (422, the object deleted). Repeating it is harmless: the published object is found and checked again.
    func verify(_ token: UploadToken, parts: [CompletedPart]?) throws -> SharedFile {
        let key = try publish(token, parts: parts)
        let declared = DeclaredUpload(
            key: key, size: token.size, contentType: token.contentType, sha256: token.sha256, sealedRecordSize: token.sealedRecordSize)
        switch try UploadCheck.run(declared, client: client, sniffer: sniffer) {
        case .rejected(let mismatches):
            metrics.uploadCheck(passed: false)
            limiter.release(key: token.key)
            if !mismatches.contains(.missing) { try? client.deleteObject(key: key) }
            let listed = mismatches.map { Mismatch(code: $0.code, message: $0.description) }
            if let typeMismatch = mismatches.first(where: \.isTypeMismatch) {
                throw GatewayError(422, .typeMismatch, "\(typeMismatch.description) It was deleted.", mismatches: listed)
            }
            throw GatewayError(
                422, .uploadMismatch,
                "The upload does not match what was declared, so it was deleted: " + mismatches.map(\.description).joined(separator: " "),
                mismatches: listed)
        case .verified:
            metrics.uploadCheck(passed: true)
            do {
                if token.sealedRecordSize == nil { try scan(key) }  // ciphertext gives a scanner nothing to find
            } catch let error as GatewayError where error.status != 503 {
                limiter.release(key: token.key)  // infected and deleted; a scanner that is down keeps the upload pending
                throw error
            }
            limiter.release(key: token.key)
            return SharedFile(key: key, filename: token.filename, size: token.size, contentType: token.contentType)
        }
    }

    /// Creates the share of verified files: indexes every upload key to the share (refusing, 409, a file another share
    /// already serves), charges the owner's quota, then writes the record create-only.
    ///
    /// - Returns: the record, and false when it existed already (another gateway, or an earlier attempt, made it).
    func createShare(
        id: String, files: [(uploadKey: String, file: SharedFile)], terms: ShareTerms, owner: String?, password: String?, keyWrap: KeyWrap?,
        encrypted: Bool
    ) throws
        -> (ShareRecord, created: Bool)
    {
        let created = Int64(now().timeIntervalSince1970)
        let (expiresAt, overflow) = created.addingReportingOverflow(Int64(terms.expiresIn))
        guard !overflow else { throw GatewayError.badRequest(.invalidExpiry, "expiresIn is out of range.") }
        for (uploadKey, file) in files {
            guard let indexed = try shares.saveIndex(uploadKey: uploadKey, shareID: id), indexed != id else { continue }
            throw GatewayError(409, .alreadyShared, "\(file.filename) is already shared at another link; upload it again to share it here.")
        }
        let size = files.reduce(Int64(0)) { $0 + $1.file.size }
        if let owner {
            do {
                try quota.charge(owner, share: id, size: size)
            } catch let error as GatewayError where error.code == .quotaExceeded {
                for (uploadKey, file) in files {
                    try? client.deleteObject(key: file.key)
                    try? client.deleteObject(key: ShareStore.indexKey(forUploadKey: uploadKey))
                }
                throw GatewayError(
                    403, .quotaExceeded, error.message + (files.count == 1 ? " The upload was deleted." : " The uploads were deleted."))
            }
        }
        // Hashed only once the files are this share's, so no other set of the same receipts makes the gateway hash again.
        let record = ShareRecord(
            id: id, files: files.map(\.file), createdAt: created, expiresAt: expiresAt, maxDownloads: terms.maxDownloads, revoked: false,
            owner: owner, password: try password.map { try hashed($0) }, encrypted: encrypted ? true : nil,
            keyWrap: keyWrap)
        do {
            try shares.create(record)
        } catch let error as S3ClientError where error.status == 412 {
            // Another gateway completed the same upload at the same moment: its share is this one.
            if let existing = try shares.load(id) { return (existing, false) }
            throw error
        }
        return (record, true)
    }

    /// The object the share will serve: a multipart upload completed in place (its part URLs die with it), or a
    /// single PUT or form upload copied to `shared/…` and its staging object deleted (a re-posted form or a second
    /// PUT can then only write the staging key, which nothing serves). Retries after a crash find the copy made.
    func publish(_ token: UploadToken, parts: [CompletedPart]?) throws -> String {
        if let uploadID = token.uploadID {
            do {
                try client.completeMultipartUpload(key: token.key, uploadID: uploadID, parts: try Self.uploadedParts(parts))
            } catch let error as S3ClientError where error.s3Code == .noSuchUpload {
                // Completed before (a retry): the check below finds the object, or says it is missing.
            } catch let error as S3ClientError where (400..<500).contains(error.status) {
                throw GatewayError(
                    422, .multipartFailed,
                    "The store could not assemble the parts (\(error.code)): \(error.message.isEmpty ? "check the part numbers and ETags" : error.message)"
                )
            }
            try refusePublicACL(token.key)
            return token.key
        }
        let published = ObjectKey.published(token.key)
        try refusePublicACL(token.key)
        do {
            try client.copyObject(from: token.key, to: published)
        } catch let error as S3ClientError where error.status == 404 {
            return published  // nothing staged: either a retry after the copy (the check finds it) or never uploaded (missing)
        }
        try? client.deleteObject(key: token.key)
        return published
    }

    /// A new share's password, hashed within the budget all password hashing shares (503 `busy` past it).
    func hashed(_ password: String) throws -> PasswordHash {
        let budget = passwordAttempts.hashing
        let busy = GatewayError(503, .busy, "The gateway is hashing many passwords right now; try again in a second.", retryAfter: 1)
        guard budget.enter() else { throw busy }
        defer { budget.leave() }
        guard let hash = try budget.run({ try PasswordHash(hashing: password, random: random) }) else { throw busy }
        return hash
    }

    /// Refuses (422 `public_acl`, the object deleted) an upload whose ACL grants anyone but the bucket's owner: a
    /// client that got past the signed ACL on a store that does not enforce it. A store without ACLs passes.
    func refusePublicACL(_ key: String) throws {
        let policy: AccessControlPolicy?
        do {
            policy = try client.objectACL(key: key)
        } catch let error as S3ClientError where error.status == 404 {
            return  // nothing staged: the check after publishing says what is missing
        }
        guard let policy, !policy.grantsBeyondOwner.isEmpty else { return }
        try? client.deleteObject(key: key)
        throw GatewayError(
            422, .publicAcl, "The upload was sent with an ACL that grants others access to it, so it was deleted. Send only the plan's headers.")
    }

    /// Streams the object from the store into clamd when `uploads.scan.clamd` is set: an infected upload is deleted
    /// and refused (422 `infected`, naming the signature); a scanner that is down refuses with 503
    /// `scanner_unavailable` and keeps the object for a retry, unless `uploads.scan.failOpen`.
    func scan(_ key: String) throws {
        guard let address = settings.uploads.scan.clamd, let scanner = ClamdScanner(address) else { return }
        let verdict: ClamdScanner.Verdict
        do {
            verdict = try scanner.scan { send in try client.streamObject(key: key, consumer: send) }
        } catch is ClamdScanner.TooLarge {
            try? client.deleteObject(key: key)
            throw GatewayError(
                413, .tooLargeToScan,
                "The virus scanner refused this file as larger than it takes (its StreamMaxLength), so it was deleted and will not be shared.")
        } catch let error as ClamdScanner.Unavailable {
            guard settings.uploads.scan.failOpen else {
                throw GatewayError(
                    503, .scannerUnavailable,
                    "The virus scanner is not available (\(error.description)); the upload is kept: complete it again later.")
            }
            logger.warning("sharing \(key) unscanned (uploads.scan.failOpen): \(error.description)")
            return
        }
        if case .infected(let signature) = verdict {
            try? client.deleteObject(key: key)
            throw GatewayError(422, .infected, "The file carries \(signature), so it was deleted and will not be shared.")
        }
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
        let link = shareURL(record.id)
        if request.headers["accept"] == "text/plain" {
            return HTTPResponse(status: HTTPStatus(status), contentType: "text/plain; charset=utf-8", body: link + "\n")
        }
        let completion = Completion(
            share: ShareLink(id: record.id, url: link), files: fileLinks(record), viewUrl: link + "/raw", downloadUrl: link + "/raw?download=1",
            deleteToken: DeleteToken.make(shareID: record.id, secret: secret), expiresAt: Date(timeIntervalSince1970: TimeInterval(record.expiresAt)))
        return HTTPResponse.json(completion, status: status)
    }

    /// The body of a completion: empty, or `{"parts":[…], "collection": true}`.
    static func completionRequest(from bytes: [UInt8]) throws -> CompletionRequest {
        guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return CompletionRequest() }
        try GatewayError.checkStrict(bytes, CompletionRequest.shape)
        guard let body = try? APIJSON.decode(CompletionRequest.self, from: bytes) else {
            throw GatewayError.badRequest(
                .invalidCompletion, "A completion is empty, or {\"parts\":[{\"partNumber\":1,\"etag\":\"…\"},…]} for a multipart upload.")
        }
        return body
    }

    /// A multipart upload's parts, `{"parts":[{"partNumber":1,"etag":"…"}]}`, in ascending order.
    static func uploadedParts(_ parts: [CompletedPart]?) throws -> [UploadedPart] {
        guard let parts, !parts.isEmpty, parts.count <= 10_000 else {
            throw GatewayError.badRequest(.invalidParts, "A multipart upload completes with {\"parts\":[{\"partNumber\":1,\"etag\":\"…\"},…]}.")
        }
        return parts.map { UploadedPart(partNumber: $0.partNumber, etag: ASCIIText.unquoted($0.etag)) }
    }

    /// Every file of a share with its own stable link, `/s/{id}/{n}` from 1.
    func fileLinks(_ record: ShareRecord) -> [SharedFileLink] {
        let link = shareURL(record.id)
        return record.files.enumerated().map { index, file in
            SharedFileLink(filename: file.filename, size: file.size, contentType: file.contentType, url: "\(link)/\(index + 1)")
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
    func presignedGet(_ file: SharedFile, disposition: String) throws -> String {
        metrics.presigned(1)
        let header = contentDisposition(file, disposition)
        return try presigner.url(
            method: "GET", bucket: settings.storage.bucket, key: file.key, expires: try presignLifetime(settings.shares.linkExpiry).seconds,
            query: [
                .init("response-content-disposition", PercentEncoding.encode(header)),
                .init("response-content-type", PercentEncoding.encode(Self.servedType(file.contentType))),
            ])
    }
}
