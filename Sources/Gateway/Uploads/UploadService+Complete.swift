import Crypto
import DropgateAPI
import EndToEnd
import Foundation
import HTTPServer
import S3Client
import S3Common
import SigV4

extension UploadService {
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
            let file = try verify(token, parts: input.parts, thumbnail: try checkThumbnail(token))
            publishCompleted(token, file: file)
            let receipt = VerifiedFile(
                uploadKey: token.key, file: file, owner: token.owner, expiresAt: token.expiresAt, sealed: token.sealedRecordSize != nil)
            return HTTPResponse.json(
                VerifiedUpload(
                    receipt: SignedToken.seal(receipt, purpose: VerifiedFile.purpose, secret: secret), filename: file.filename, size: file.size,
                    contentType: file.contentType), status: 200)
        }
        // A file sent to a request goes to its owner: it never becomes a share of its own (on a gateway that takes
        // uploads only from people signed in, that would let anyone publish through any request).
        if FileRequests.requestID(named: token.owner) != nil {
            throw GatewayError(
                403, .notYourUpload,
                "This file was sent to a file request: complete it with \"collection\": true and hand it over with POST /api/requests/{id}/submissions."
            )
        }
        let shareID = sharing.shareID(forUploadKeys: [token.key])
        if let existing = try sharing.shares.load(shareID) { return try sharing.answer(existing, request: request, status: 200) }
        guard token.sealedRecordSize == nil else {
            throw GatewayError.badRequest(
                .encryptedNeedsCollection,
                "An encrypted upload is shared with its manifest: complete it with \"collection\": true, then POST /api/shares.")
        }
        let file = try verify(token, parts: input.parts, thumbnail: try checkThumbnail(token))
        publishCompleted(token, file: file)
        let (record, created) = try sharing.createShare(
            id: shareID, files: [(token.key, file)], terms: ShareTerms(expiresIn: token.shareExpiresIn, maxDownloads: token.maxDownloads),
            owner: token.owner, password: nil, keyWrap: nil, encrypted: false)
        return try sharing.answer(record, request: request, status: created ? 201 : 200)
    }

    /// Publishes an upload and checks it (and scans it, when a scanner is set): the file a share may serve, or the
    /// refusal (422, the object deleted, and its thumbnail with it). Repeating it is harmless: the published object is
    /// found and checked again.
    func verify(_ token: UploadToken, parts: [CompletedPart]?, thumbnail: String? = nil) throws -> SharedFile {
        do {
            var file = try verifyFile(token, parts: parts)
            file.thumbnail = thumbnail
            return file
        } catch let error as GatewayError where error.status == 422 || error.status == 413 {
            if thumbnail != nil { try? client.deleteObject(key: ObjectKey.thumbnail(of: token.key)) }
            throw error
        }
    }

    private func verifyFile(_ token: UploadToken, parts: [CompletedPart]?) throws -> SharedFile {
        let key = try publish(token, parts: parts)
        let declared = DeclaredUpload(
            key: key, size: token.size, contentType: token.contentType, sha256: token.sha256, sealedRecordSize: token.sealedRecordSize)
        switch try UploadCheck.run(declared, client: client, sniffer: sniffer) {
        case .rejected(let mismatches):
            metrics.uploadCheck(passed: false)
            access.limiter.release(key: token.key)
            if !mismatches.contains(.missing) { try? client.deleteObject(key: key) }
            let listed = mismatches.map { Mismatch(code: $0.code, message: $0.description) }
            if let typeMismatch = mismatches.first(where: \.isTypeMismatch) {
                throw GatewayError(422, .typeMismatch, "\(typeMismatch.description, as: "mismatch") It was deleted.", mismatches: listed)
            }
            throw GatewayError(
                422, .uploadMismatch,
                "The upload does not match what was declared, so it was deleted: \(mismatches.map(\.description).joined(separator: " "), as: "mismatches")",
                mismatches: listed)
        case .verified:
            metrics.uploadCheck(passed: true)
            do {
                if token.sealedRecordSize == nil { try scan(key) }  // ciphertext gives a scanner nothing to find
            } catch let error as GatewayError where error.status != 503 {
                access.limiter.release(key: token.key)  // infected and deleted; a scanner that is down keeps the upload pending
                throw error
            }
            access.limiter.release(key: token.key)
            return SharedFile(key: key, filename: token.filename, size: token.size, contentType: token.contentType)
        }
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
                    "The store could not assemble the parts (\(error.code, as: "code")): \(error.message.isEmpty ? "check the part numbers and ETags" : error.message, as: "message")"
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
                    "The virus scanner is not available (\(error.description, as: "error")); the upload is kept: complete it again later.")
            }
            logger.warning("sharing \(key) unscanned (uploads.scan.failOpen): \(error.description)")
            return
        }
        if case .infected(let signature) = verdict {
            try? client.deleteObject(key: key)
            throw GatewayError(422, .infected, "The file carries \(signature, as: "signature"), so it was deleted and will not be shared.")
        }
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
}

extension UploadService {
    /// `upload.completed` for the upload's owner (a request's senders' uploads are told as `request.submitted`).
    func publishCompleted(_ token: UploadToken, file: SharedFile) {
        guard FileRequests.requestID(named: token.owner) == nil else { return }
        let name = token.sealedRecordSize == nil ? file.filename : nil
        sharing.notices.publish(.uploadCompleted, subject: token.key, owner: token.owner, data: NoticeEvent.Details(file: name, bytes: file.size))
    }
}
