import DropgateAPI
import Foundation
import HTTPServer
import S3Client
import SigV4

extension UploadService {
    /// Presigned part URLs of a multipart upload. Each signs its exact `Content-Length` (the last part the remainder),
    /// so the parts can carry the declared size and not one byte more, on any store that checks signed headers.
    func partURLs(_ token: UploadToken, numbers: [Int], expires: Int) throws -> [PartURL] {
        guard let uploadID = token.uploadID, let partSize = token.partSize else { throw Self.notMultipart }
        let count = Int((token.size + partSize - 1) / partSize)
        let urls = try numbers.map { number in
            guard (1...max(1, count)).contains(number) else {
                throw GatewayError.badRequest(
                    .invalidPartNumber, "This upload has parts 1 to \(count, as: "count"); there is no part \(number, as: "number").")
            }
            let length = min(partSize, token.size - Int64(number - 1) * partSize)
            let url = try presigner.url(
                method: "PUT", bucket: settings.storage.bucket, key: token.key, expires: expires,
                query: [.init("partNumber", String(number)), .init("uploadId", PercentEncoding.encode(uploadID))],
                headers: [.init("Content-Length", String(length))])
            return PartURL(partNumber: number, url: url)
        }
        metrics.presigned(urls.count)
        return urls
    }

    static let notMultipart = GatewayError(
        409, .notMultipart, "This upload is a single request, so it has no parts: send the file again to its URL, or declare it again.")

    /// The upload an `{id}` names, while it can still be completed.
    func liveUpload(_ request: HTTPRequest) throws -> UploadToken {
        guard let id = request.pathParameters["id"], let token = UploadToken.decode(id, secret: secret, now: now()) else {
            throw GatewayError(404, .unknownUpload, "This upload id is not valid, or it has expired: start the upload again.")
        }
        return token
    }

    /// `POST /api/uploads/{id}/parts` with `{"parts":[3,4]}`: fresh URLs for those parts of a multipart upload, valid
    /// for `uploads.presignExpiry` (never past the resume window); how an interrupted upload resumes, never by re-planning.
    func refreshParts(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        let token = try liveUpload(request)
        guard token.uploadID != nil else { throw Self.notMultipart }
        let bytes = try body.readAll(limit: 256 * 1024)
        try GatewayError.checkStrict(bytes, PartsRequest.shape)
        guard let input = try? APIJSON.decode(PartsRequest.self, from: bytes), let numbers = input.parts,
            !numbers.isEmpty, numbers.count <= 10_000, Set(numbers).count == numbers.count
        else {
            throw GatewayError.badRequest(.invalidParts, "Ask for fresh part URLs with {\"parts\":[1,2,…]}: distinct part numbers, at most 10,000.")
        }
        try takePartsCall(request)
        let left = Int(token.expiresAt - Int64(now().timeIntervalSince1970))
        let expires = min(try presignLifetime(settings.uploads.presignExpiry).seconds, max(1, left))
        let urls = try partURLs(token, numbers: numbers, expires: expires)
        return HTTPResponse.json(PartURLs(parts: urls, expiresAt: now().addingTimeInterval(TimeInterval(expires))), status: 200)
    }

    /// `GET /api/uploads/{id}/parts`: the parts the store already has (ListParts), so a resumed upload sends only the rest.
    func storedParts(_ request: HTTPRequest) throws -> HTTPResponse {
        let token = try liveUpload(request)
        guard let uploadID = token.uploadID else { throw Self.notMultipart }
        try takePartsCall(request)
        do {
            let parts = try client.listParts(key: token.key, uploadID: uploadID)
            return HTTPResponse.json(
                StoredParts(parts: parts.map { StoredPart(partNumber: $0.partNumber, etag: $0.etag, size: $0.size) }), status: 200)
        } catch let error as S3ClientError where error.s3Code == .noSuchUpload || error.status == 404 {
            throw GatewayError(410, .uploadFinished, "This upload was completed or cancelled; it has no parts to resume.")
        }
    }

    /// Counts a call of `GET` or `POST /api/uploads/{id}/parts` against the client (each costs signing or a ListParts).
    func takePartsCall(_ request: HTTPRequest) throws {
        if let wait = access.partRefreshes.take([access.client(of: request).description]) {
            throw GatewayError(
                429, .rateLimited, "Too many part listings and refreshes from your address. Try again in a moment.", retryAfter: wait)
        }
    }

    /// `DELETE /api/uploads/{id}`: cancels an upload: a multipart upload is aborted (its parts deleted), a single
    /// upload's staging object deleted, and the client's pending bytes released. 204; harmless when repeated.
    func cancelUpload(_ request: HTTPRequest) throws -> HTTPResponse {
        let token = try liveUpload(request)
        if let uploadID = token.uploadID {
            do {
                try client.abortMultipartUpload(key: token.key, uploadID: uploadID)
            } catch let error as S3ClientError where error.status == 404 {
                // Completed or aborted before: nothing left to cancel.
            }
        } else {
            try client.deleteObject(key: token.key)
        }
        access.limiter.release(key: token.key)
        return HTTPResponse(status: 204)
    }
}
