import DropgateAPI
import Foundation
import HTTPServer
import S3Client
import S3Common
import SigV4

extension GatewayCore {
    /// `POST /api/uploads/{id}/complete`: completes a multipart upload, checks the object with a signed
    /// HEAD, deletes it and answers 422 on any mismatch, or creates the share and answers 201.
    func completeUpload(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        guard let id = request.pathParameters["id"], let token = UploadToken.decode(id, secret: secret, now: now()) else {
            throw GatewayError(404, "unknown_upload", "This upload id is not valid, or it has expired: start the upload again.")
        }
        if let uploadID = token.uploadID {
            let parts = try Self.parts(from: try body.readAll(limit: 2 << 20))
            do {
                try client.completeMultipartUpload(key: token.key, uploadID: uploadID, parts: parts)
            } catch let error as S3ClientError where (400..<500).contains(error.status) {
                throw GatewayError(
                    422, "multipart_failed",
                    "The store could not assemble the parts (\(error.code)): \(error.message.isEmpty ? "check the part numbers and ETags" : error.message)"
                )
            }
        } else {
            _ = try? body.readAll(limit: 64 * 1024)
        }
        let declared = DeclaredUpload(key: token.key, size: token.size, contentType: token.contentType, sha256: token.sha256)
        switch try UploadCheck.run(declared, client: client) {
        case .rejected(let mismatches):
            metrics.uploadCheck(passed: false)
            if !mismatches.contains(.missing) { try? client.deleteObject(key: token.key) }
            let list = mismatches.map { Mismatch(code: $0.code, message: $0.description) }
            throw GatewayError(
                422, "upload_mismatch",
                "The upload does not match what was declared, so it was deleted: " + mismatches.map(\.description).joined(separator: " "),
                mismatches: list)
        case .verified:
            metrics.uploadCheck(passed: true)
            let created = Int64(now().timeIntervalSince1970)
            let (expiresAt, overflow) = created.addingReportingOverflow(Int64(token.shareExpiresIn))
            guard !overflow else {
                throw GatewayError(404, "unknown_upload", "This upload id is not valid, or it has expired: start the upload again.")
            }
            let record = ShareRecord(
                id: Base64URL.random(bytes: 16), key: token.key, filename: token.filename, size: token.size, contentType: token.contentType,
                createdAt: created,
                expiresAt: expiresAt, maxDownloads: token.maxDownloads, downloads: 0, revoked: false)
            try shares.save(record, create: true)
            if request.headers["accept"] == "text/plain" {
                return HTTPResponse(status: 201, contentType: "text/plain; charset=utf-8", body: shareURL(record.id) + "\n")
            }
            let completion = Completion(
                share: ShareLink(id: record.id, url: shareURL(record.id)), viewUrl: try presignedGet(record, disposition: "inline"),
                downloadUrl: try presignedGet(record, disposition: "attachment"), deleteToken: DeleteToken.make(shareID: record.id, secret: secret),
                expiresAt: Date(timeIntervalSince1970: TimeInterval(record.expiresAt)))
            return HTTPResponse.json(completion, status: 201)
        }
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
        var base = settings.gateway.publicURL
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/s/\(id)"
    }

    /// A short-lived presigned GET of a share's object, shown inline or downloaded under its original name.
    func presignedGet(_ record: ShareRecord, disposition: String) throws -> String {
        metrics.presigned(1)
        let safe = ObjectKey.sanitize(record.filename)
        let header = "\(disposition); filename=\"\(safe)\"; filename*=UTF-8''\(PercentEncoding.encode(record.filename))"
        return try presigner.url(
            method: "GET", bucket: settings.storage.bucket, key: record.key, expires: try presignLifetime(settings.shares.linkExpiry).seconds,
            query: [
                .init("response-content-disposition", PercentEncoding.encode(header)),
                .init("response-content-type", PercentEncoding.encode(record.contentType)),
            ])
    }
}
