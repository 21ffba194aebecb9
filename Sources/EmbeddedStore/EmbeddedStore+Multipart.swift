import Crypto
import Foundation
import Glibc
import HTTPServer
import S3Common
import SigV4

extension EmbeddedStore {
    /// The smallest part other than the last, as S3 requires.
    static let minimumPartSize: Int64 = 5 * 1024 * 1024

    func createMultipartUpload(_ request: HTTPRequest, bucket: String, key: String) throws -> HTTPResponse {
        try requireBucket(bucket)
        let checksum = try Self.declaredChecksum(request.headers)
        let upload = MultipartStore.Upload(
            bucket: bucket, key: key, initiated: now().timeIntervalSince1970,
            representation: ObjectMetadata.fromHeaders(request.headers, key: key, now: 0), checksumAlgorithm: checksum?.algorithm,
            checksumType: checksum?.type)
        let id = try multipart.create(upload)
        var response = xml(200, InitiateMultipartUploadResult(bucket: bucket, key: key, uploadID: id).document())
        if let checksum {
            response.headers.set("x-amz-checksum-algorithm", checksum.algorithm.rawValue)
            response.headers.set("x-amz-checksum-type", checksum.type)
        }
        return response
    }

    func uploadPart(_ request: HTTPRequest, body: HTTPRequestBody, bucket: String, key: String, verified: VerifiedRequest) throws -> HTTPResponse {
        try requireBucket(bucket)
        guard let id = request.queryValue("uploadId"), let numberText = request.queryValue("partNumber") else {
            throw S3Error.invalidArgument("UploadPart needs both partNumber and uploadId.")
        }
        guard let number = Int(numberText), (1...10_000).contains(number) else {
            throw S3Error.invalidArgument("Part number must be an integer between 1 and 10000, inclusive.")
        }
        let upload = try multipart.upload(id, bucket: bucket, key: key)
        try Self.checkPartChecksum(request.headers, upload: upload.checksumAlgorithm)
        let received = try receiveBody(
            request, body: body, verified: verified, limit: configuration.maximumObjectSize, alsoComputing: upload.checksumAlgorithm)
        var checksums = received.checksums
        if let algorithm = upload.checksumAlgorithm, checksums[algorithm.rawValue] == nil {
            checksums[algorithm.rawValue] = received.digest.base64(algorithm)  // kept for the object's checksum at completion
        }
        let metadata = ObjectMetadata(
            key: key, size: received.digest.byteCount, etag: received.digest.md5Hex(), contentType: "", contentDisposition: nil,
            contentEncoding: nil, cacheControl: nil, userMetadata: [:], checksums: checksums,
            lastModified: now().timeIntervalSince1970.rounded(.down), partCount: nil)
        try multipart.storePart(id, number: number, temporary: received.file, metadata: metadata, dataLength: received.digest.byteCount)
        var response = HTTPResponse(status: 200)
        response.headers.set("ETag", "\"\(metadata.etag)\"")
        for (algorithm, value) in metadata.checksums { response.headers.set("x-amz-checksum-\(algorithm.lowercased())", value) }
        return response
    }

    func completeMultipartUpload(_ request: HTTPRequest, body: HTTPRequestBody, bucket: String, key: String, verified: VerifiedRequest) throws
        -> HTTPResponse
    {
        try requireBucket(bucket)
        guard let id = request.queryValue("uploadId") else { throw S3Error.invalidArgument("CompleteMultipartUpload needs uploadId.") }
        let listed = try S3XML.read(CompleteMultipartUpload.self, try body.readAll(limit: 2 * 1024 * 1024)).parts
        let requested = listed.map { ($0.number, $0.etag) }
        guard !requested.isEmpty else { throw S3Error(.malformedXML, "CompleteMultipartUpload must list at least one part.", status: 400) }
        let location = "/\(bucket)/\(PercentEncoding.encode(key, keepingSlash: true))"
        // A retry of a completion that succeeded (clients retry on timeouts) answers as the first one did.
        if let done = multipart.completed(id, bucket: bucket, key: key),
            done.parts == Dictionary(requested.map { ($0.0, $0.1) }, uniquingKeysWith: { _, last in last })
        {
            return xml(
                200,
                CompleteMultipartUploadResult(
                    location: location, bucket: bucket, key: key, etag: done.etag, checksums: done.checksums ?? [:], checksumType: done.checksumType
                ).document())
        }
        let upload = try multipart.upload(id, bucket: bucket, key: key)
        for index in requested.indices.dropFirst() where requested[index].0 <= requested[index - 1].0 {
            throw S3Error(.invalidPartOrder, "The list of parts was not in ascending order. Parts must be ordered by part number.", status: 400)
        }
        let stored = Dictionary(multipart.parts(id).map { ($0.number, $0) }, uniquingKeysWith: { _, last in last })
        var chosen: [(number: Int, metadata: ObjectMetadata, dataLength: Int64)] = []
        for (position, (number, etag)) in requested.enumerated() {
            guard let part = stored[number], part.metadata.etag == etag else {
                throw S3Error(
                    .invalidPart,
                    "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
                    status: 400, details: [("PartNumber", String(number)), ("ETag", etag)])
            }
            if position < requested.count - 1 && part.dataLength < Self.minimumPartSize {
                throw S3Error(
                    .entityTooSmall,
                    "Your proposed upload is smaller than the minimum allowed object size: part \(number) is \(part.dataLength) bytes; every part but the last must be at least 5 MiB.",
                    status: 400,
                    details: [
                        ("PartNumber", String(number)), ("ProposedSize", String(part.dataLength)), ("MinSizeAllowed", String(Self.minimumPartSize)),
                    ])
            }
            chosen.append(part)
        }
        let temporary = try disk.temporaryFile()
        var offset: Int64 = 0
        var md5s: [UInt8] = []
        for part in chosen {
            let fd = open(multipart.partPath(id, part.number), O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw S3Error.internalError("Part \(part.number) vanished.") }
            defer { close(fd) }
            try FileIO.copy(from: fd, at: 0, to: temporary.fd, at: offset, length: part.dataLength)
            offset += part.dataLength
            md5s.append(contentsOf: Hex.decode(part.metadata.etag) ?? [])
        }
        let etag = Hex.string(Insecure.MD5.hash(data: md5s)) + "-\(chosen.count)"
        let checksums = try completedChecksum(upload: upload, listed: listed, chosen: chosen, request: request, fd: temporary.fd, length: offset)
        var metadata = upload.representation
        metadata.size = offset
        metadata.etag = etag
        metadata.checksums = Dictionary(checksums.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: { first, _ in first })
        metadata.checksumType = checksums.isEmpty ? nil : upload.checksumType
        metadata.lastModified = now().timeIntervalSince1970.rounded(.down)
        metadata.partCount = chosen.count
        metadata.partSizes = chosen.map(\.dataLength)
        let ifNoneMatch = request.headers["if-none-match"].map { ASCIIText.trimmed(Substring($0)) }
        let noOverwrite = ifNoneMatch == "*"
        try disk.withKeyLock(bucket: bucket, key: key) {
            try Self.checkWritePreconditions(
                ifMatch: request.headers["if-match"], ifNoneMatch: noOverwrite ? nil : ifNoneMatch, existing: disk.metadata(bucket: bucket, key: key),
                key: key)
            try disk.commit(temporary: temporary, dataLength: offset, metadata: metadata, bucket: bucket, overwrite: !noOverwrite)
        }
        let type = metadata.checksumType
        try multipart.markCompleted(
            id,
            MultipartStore.Completed(
                etag: etag, parts: Dictionary(chosen.map { ($0.number, $0.metadata.etag) }, uniquingKeysWith: { _, last in last }),
                checksums: checksums, checksumType: type))
        return xml(
            200,
            CompleteMultipartUploadResult(location: location, bucket: bucket, key: key, etag: etag, checksums: checksums, checksumType: type)
                .document())
    }

    func abortMultipartUpload(_ request: HTTPRequest, bucket: String, key: String) throws -> HTTPResponse {
        try requireBucket(bucket)
        let id = request.queryValue("uploadId") ?? ""
        _ = try multipart.upload(id, bucket: bucket, key: key)
        multipart.remove(id)
        return HTTPResponse(status: 204)
    }

    func listParts(_ request: HTTPRequest, bucket: String, key: String) throws -> HTTPResponse {
        try requireBucket(bucket)
        let id = request.queryValue("uploadId") ?? ""
        let upload = try multipart.upload(id, bucket: bucket, key: key)
        let marker = request.queryValue("part-number-marker").flatMap { Int($0) } ?? 0
        let maximum = min(1000, max(1, request.queryValue("max-parts").flatMap { Int($0) } ?? 1000))
        let after = multipart.parts(id).filter { $0.number > marker }
        let page = Array(after.prefix(maximum))
        var result = ListPartsResult(
            bucket: bucket, key: key, uploadID: id,
            parts: page.map {
                ListPartsResult.Part(
                    number: $0.number, lastModified: S3Time.iso8601($0.metadata.lastModifiedDate), etag: $0.metadata.etag, size: $0.dataLength,
                    checksums: Dictionary(
                        $0.metadata.checksums.compactMap { name, value in ChecksumAlgorithm(rawValue: name).map { ($0, value) } },
                        uniquingKeysWith: { first, _ in first }))
            })
        result.checksumAlgorithm = upload.checksumAlgorithm?.rawValue
        result.checksumType = upload.checksumType
        result.partNumberMarker = marker
        result.nextPartNumberMarker = page.last?.number ?? marker
        result.maxParts = maximum
        result.isTruncated = after.count > maximum
        return xml(200, result.document())
    }

    /// ListMultipartUploads: by key, then by time of creation, as S3 orders them; `prefix`, `max-uploads` (at most
    /// 1000) and the `key-marker`/`upload-id-marker` pair page through them.
    func listMultipartUploads(_ request: HTTPRequest, bucket: String) throws -> HTTPResponse {
        let prefix = request.queryValue("prefix") ?? ""
        let urlEncoded = request.queryValue("encoding-type") == "url"
        guard request.queryValue("encoding-type") == nil || urlEncoded else {
            throw S3Error.invalidArgument("Invalid Encoding Method specified in Request.")
        }
        let encode = { (text: String) in urlEncoded ? PercentEncoding.encode(text, keepingSlash: true) : text }
        let maximum = min(1000, max(1, request.queryValue("max-uploads").flatMap { Int($0) } ?? 1000))
        let keyMarker = request.queryValue("key-marker")
        let idMarker = request.queryValue("upload-id-marker")
        let ordered = multipart.uploads(bucket: bucket).filter { $0.upload.key.hasPrefix(prefix) }.sorted {
            $0.upload.key == $1.upload.key
                ? $0.upload.initiated < $1.upload.initiated : $0.upload.key.utf8.lexicographicallyPrecedes($1.upload.key.utf8)
        }
        var after = ordered[...]
        if let keyMarker {
            if let idMarker, let index = ordered.firstIndex(where: { $0.upload.key == keyMarker && $0.id == idMarker }) {
                after = ordered[(index + 1)...]
            } else {
                after = ordered.drop { !keyMarker.utf8.lexicographicallyPrecedes($0.upload.key.utf8) }
            }
        }
        let page = Array(after.prefix(maximum))
        let uploads = page.map { id, upload in
            ListMultipartUploadsResult.Upload(
                key: encode(upload.key), uploadID: id, initiated: S3Time.iso8601(Date(timeIntervalSince1970: upload.initiated)))
        }
        let truncated = after.count > maximum
        return xml(
            200,
            ListMultipartUploadsResult(
                bucket: bucket, uploads: uploads, isTruncated: truncated, nextKeyMarker: truncated ? page.last.map { encode($0.upload.key) } : nil,
                nextUploadIDMarker: truncated ? page.last?.id : nil, encodingType: urlEncoded ? "url" : nil
            ).document())
    }
}
