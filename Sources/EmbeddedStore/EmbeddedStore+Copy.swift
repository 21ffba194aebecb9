import Foundation
import Glibc
import HTTPServer
import S3Common
import SigV4

extension EmbeddedStore {
    /// CopyObject (`PUT` with `x-amz-copy-source: /bucket/key`): the source's bytes, checksums and metadata (or, with
    /// `x-amz-metadata-directive: REPLACE`, the request's) under the new key; honours `x-amz-copy-source-if-match` and
    /// `If-None-Match: *`. Answers `<CopyObjectResult>`.
    func copyObject(_ request: HTTPRequest, bucket: String, key: String) throws -> HTTPResponse {
        try requireBucket(bucket)
        let (sourceBucket, sourceKey) = try Self.copySource(request.headers["x-amz-copy-source"] ?? "")
        try requireBucket(sourceBucket)
        guard let (fd, source, length) = try disk.openObject(bucket: sourceBucket, key: sourceKey) else { throw S3Error.noSuchKey(sourceKey) }
        defer { close(fd) }
        if let condition = request.headers["x-amz-copy-source-if-match"], !Self.etagMatches(condition, source.etag) {
            throw S3Error(
                .preconditionFailed, "At least one of the preconditions you specified did not hold: x-amz-copy-source-if-match.", status: 412)
        }
        var metadata = source
        metadata.key = key
        metadata.lastModified = now().timeIntervalSince1970.rounded(.down)
        if request.headers["x-amz-metadata-directive"]?.uppercased() == "REPLACE" { metadata.storeRepresentation(from: request.headers) }
        let temporary = try disk.temporaryFile()
        try FileIO.copy(from: fd, at: 0, to: temporary.fd, at: 0, length: length)
        let noOverwrite = request.headers["if-none-match"]?.trimmingCharacters(in: .whitespaces) == "*"
        try disk.withKeyLock(bucket: bucket, key: key) {
            try disk.commit(temporary: temporary, dataLength: length, metadata: metadata, bucket: bucket, overwrite: !noOverwrite)
        }
        let result = CopyObjectResult(etag: metadata.etag, lastModified: S3Time.iso8601(metadata.lastModifiedDate))
        return xml(200, result.document())
    }

    /// `/bucket/key` or `bucket/key`, percent-decoded; a `?versionId=` is refused (the store keeps no versions).
    static func copySource(_ header: String) throws -> (bucket: String, key: String) {
        var text = Substring(header)
        if text.hasPrefix("/") { text = text.dropFirst() }
        guard !text.contains("?"), let decoded = PercentDecoding.decode(text), let slash = decoded.firstIndex(of: "/") else {
            throw S3Error.invalidArgument("x-amz-copy-source must be /bucket/key (percent-encoded); got '\(header)'.")
        }
        let key = String(decoded[decoded.index(after: slash)...])
        guard !key.isEmpty else { throw S3Error.invalidArgument("x-amz-copy-source names no key.") }
        try validate(key: key)
        return (String(decoded[..<slash]), key)
    }
}
