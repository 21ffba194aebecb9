import Foundation
import S3Common
import SigV4

extension S3Client {
    /// CreateMultipartUpload; returns the upload id.
    public func createMultipartUpload(key: String, contentType: String = "application/octet-stream") throws -> String {
        let response = try send(Request(method: "POST", key: key, query: [.init("uploads", "")], headers: [.init("Content-Type", contentType)]))
        let id = try Self.read(InitiateMultipartUploadResult.self, response).uploadID
        guard !id.isEmpty else {
            throw S3ClientError(status: response.status, code: "MalformedResponse", message: "CreateMultipartUpload returned no UploadId.")
        }
        return id
    }

    /// CompleteMultipartUpload with the parts in order; returns the ETag (without quotes; empty on RGW, which omits it).
    @discardableResult
    public func completeMultipartUpload(key: String, uploadID: String, parts: [UploadedPart]) throws -> String {
        let document = CompleteMultipartUpload(parts: parts.map { CompleteMultipartUpload.Part(number: $0.partNumber, etag: $0.etag) })
        let body = Array(document.document().utf8)
        let response = try send(
            Request(
                method: "POST", key: key, query: [.init("uploadId", PercentEncoding.encode(uploadID))],
                headers: [.init("Content-Type", "application/xml"), .init("Content-Length", String(body.count))], body: .bytes(body),
                payload: .sha256Hex(Self.sha256Hex(body))))
        // S3 may answer 200 with an <Error> body when completion fails after it started.
        if XMLTree.parse(response.body)?.name == S3ErrorDocument.rootName {
            throw S3ClientError(status: 200, body: response.body, headers: response.headers)
        }
        return try Self.read(CompleteMultipartUploadResult.self, response).etag
    }

    /// AbortMultipartUpload.
    public func abortMultipartUpload(key: String, uploadID: String) throws {
        _ = try send(Request(method: "DELETE", key: key, query: [.init("uploadId", PercentEncoding.encode(uploadID))]))
    }

    /// One page of ListMultipartUploads under `prefix`, oldest keys first as S3 orders them; asked with
    /// `encoding-type=url`, as ``listObjects(prefix:delimiter:maxKeys:continuationToken:startAfter:)`` is.
    public func listMultipartUploads(prefix: String = "", maxUploads: Int = 1000, keyMarker: String? = nil, uploadIDMarker: String? = nil) throws
        -> MultipartUploadList
    {
        var query: [SignableRequest.QueryItem] = [
            .init("max-uploads", String(maxUploads)), .init("uploads", ""), .init("encoding-type", "url"),
        ]
        if !prefix.isEmpty { query.append(.init("prefix", PercentEncoding.encode(prefix))) }
        if let keyMarker {
            query.append(.init("key-marker", PercentEncoding.encode(keyMarker)))
            if let uploadIDMarker, !uploadIDMarker.isEmpty { query.append(.init("upload-id-marker", PercentEncoding.encode(uploadIDMarker))) }
        }
        let result = try Self.read(ListMultipartUploadsResult.self, try send(Request(method: "GET", key: nil, query: query)))
        let decode = Self.listedKeys(encodingType: result.encodingType)
        let uploads = try result.uploads.map {
            MultipartUploadInProgress(key: try decode($0.key), uploadID: $0.uploadID, initiated: AmzDate(iso8601: $0.initiated)?.date)
        }.filter { $0.key.hasPrefix(prefix) }
        let truncated = result.isTruncated && result.nextKeyMarker.map { !$0.isEmpty } == true
        return MultipartUploadList(
            uploads: uploads, nextKeyMarker: truncated ? try result.nextKeyMarker.map(decode) : nil,
            nextUploadIDMarker: truncated ? result.nextUploadIDMarker : nil)
    }

    /// ListParts, every page (S3 allows 10,000 parts; a store that keeps answering more pages is cut off there).
    public func listParts(key: String, uploadID: String) throws -> [UploadedPart] {
        var parts: [UploadedPart] = []
        var marker = 0
        for _ in 0..<10 {
            var query: [SignableRequest.QueryItem] = [.init("uploadId", PercentEncoding.encode(uploadID))]
            if marker > 0 { query.append(.init("part-number-marker", String(marker))) }
            let page = try Self.read(ListPartsResult.self, try send(Request(method: "GET", key: key, query: query)))
            parts += page.parts.map { UploadedPart(partNumber: $0.number, etag: $0.etag, size: $0.size) }
            guard page.isTruncated, page.nextPartNumberMarker > marker else { break }
            marker = page.nextPartNumberMarker
        }
        return parts
    }

    /// UploadPart of a file region (for the CLI's parallel multipart uploads); returns the part's ETag.
    public func uploadPart(key: String, uploadID: String, partNumber: Int, file: Int32, length: Int64) throws -> String {
        let response = try send(
            Request(
                method: "PUT", key: key, query: [.init("partNumber", String(partNumber)), .init("uploadId", PercentEncoding.encode(uploadID))],
                headers: [.init("Content-Length", String(length))], body: .file(fd: file, offset: 0, length: length), payload: .unsigned,
                isLongTransfer: true))
        return ASCIIText.unquoted(response.header("etag") ?? "")
    }
}
