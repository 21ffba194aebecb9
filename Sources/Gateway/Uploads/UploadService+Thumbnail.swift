import DropgateAPI
import EndToEnd
import Foundation
import HTTPServer
import HTTPWire
import S3Client
import SigV4

extension UploadService {
    /// `POST /api/uploads/{id}/thumbnail`: a presigned PUT for the upload's thumbnail (201 ``ThumbnailPlan``), signed
    /// for its exact size and type, to a staging key only completion reads. Asked again, it answers a fresh URL for the
    /// same key (the last bytes sent are the ones checked).
    func planThumbnail(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        guard let id = request.pathParameters["id"], let token = UploadToken.decode(id, secret: secret, now: now()) else {
            throw GatewayError(404, .unknownUpload, "This upload id is not valid, or it has expired: start the upload again.")
        }
        let bytes = try body.readAll(limit: 4 << 10)
        try GatewayError.checkStrict(bytes, ThumbnailRequest.shape)
        guard let thumbnail = try? APIJSON.decode(ThumbnailRequest.self, from: bytes) else {
            throw GatewayError.badRequest(.invalidThumbnail, "A thumbnail is declared as {\"size\": bytes, \"contentType\": \"image/webp\"}.")
        }
        let sealed = token.sealedRecordSize != nil
        if sealed {
            guard thumbnail.contentType == "application/octet-stream" else {
                throw GatewayError.badRequest(
                    .invalidThumbnail, "An encrypted upload's thumbnail is sealed like the file: declare it as application/octet-stream.")
            }
        } else if !ThumbnailRequest.types.contains(thumbnail.contentType) {
            throw GatewayError.badRequest(
                .invalidThumbnail, "A thumbnail is image/webp or image/jpeg, not \(thumbnail.contentType.prefix(100), as: "contentType").")
        }
        let limit = sealed ? ThumbnailRequest.maximumSealedBytes : ThumbnailRequest.maximumBytes
        guard (1...limit).contains(thumbnail.size) else {
            throw GatewayError.badRequest(.invalidThumbnail, "A thumbnail has 1 to \(limit, as: "limit") bytes, not \(thumbnail.size, as: "size").")
        }
        var headers: HTTPHeaders = [
            .init("Content-Type", thumbnail.contentType), .init("Content-Length", String(thumbnail.size)),
            .init("Cache-Control", UploadCheck.signedCacheControl),
        ]
        if let acl = uploadACL { headers.append(.init("x-amz-acl", acl)) }
        let expires = try presignLifetime(min(settings.uploads.presignExpiry, 3_600)).seconds
        let url = try presigner.url(
            method: "PUT", bucket: settings.storage.bucket, key: ObjectKey.stagedThumbnail(of: token.key), expires: expires, headers: headers)
        metrics.presigned(1)
        let plan = ThumbnailPlan(url: url, headers: Dictionary(headers.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }))
        return HTTPResponse.json(plan, status: 201)
    }

    /// Keeps the thumbnail sent for `token`, if any, where no upload URL can write, then checks the kept copy (so
    /// nothing can change it between the check and its use): its size within the bound, and its first 16 bytes a
    /// JPEG's or a WebP's (a sealed upload's: the DGE1 header its file declared). The gateway reads those 16 bytes and
    /// nothing more of it. Answers its type, or nil when none was sent; a thumbnail that fails is deleted and refused
    /// (422 `invalid_thumbnail`), and the upload stays pending, so completing again without one works. Repeating it
    /// is harmless.
    func checkThumbnail(_ token: UploadToken) throws -> String? {
        let staged = ObjectKey.stagedThumbnail(of: token.key)
        let kept = ObjectKey.thumbnail(of: token.key)
        do {
            try client.copyObject(from: staged, to: kept)
            try? client.deleteObject(key: staged)
        } catch let error as S3ClientError where error.status == 404 {
            // None staged: none was sent, or this is a retry after it was kept (checked again below).
        }
        guard let info = try client.headObject(key: kept) else { return nil }
        let sealed = token.sealedRecordSize != nil
        let limit = sealed ? ThumbnailRequest.maximumSealedBytes : ThumbnailRequest.maximumBytes
        let head = try client.getObjectPrefix(key: kept, count: SealedFormat.headerSize)
        let type =
            sealed
            ? (SealedHeader(parsing: head)?.recordSize == token.sealedRecordSize ? "application/octet-stream" : nil) : Self.imageType(head)
        guard (1...limit).contains(info.size), let type else {
            try? client.deleteObject(key: kept)
            throw GatewayError(
                422, .invalidThumbnail,
                sealed
                    ? "The thumbnail is not sealed like its file (or is larger than \(limit, as: "limit") bytes), so it was deleted. Complete again without it."
                    : "The thumbnail is not a JPEG or WebP image of at most \(limit, as: "limit") bytes, so it was deleted. Complete again without it."
            )
        }
        return type
    }

    /// `image/jpeg` or `image/webp` when the bytes start as one does, else nil.
    static func imageType(_ head: [UInt8]) -> String? {
        if head.count >= 3, head[0] == 0xFF, head[1] == 0xD8, head[2] == 0xFF { return "image/jpeg" }
        if head.count >= 12, head[0..<4].elementsEqual("RIFF".utf8), head[8..<12].elementsEqual("WEBP".utf8) { return "image/webp" }
        return nil
    }
}
