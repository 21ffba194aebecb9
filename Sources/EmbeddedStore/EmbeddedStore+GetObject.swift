import Foundation
import Glibc
import HTTPServer
import S3Common

extension EmbeddedStore {
    /// GetObject and HeadObject: conditionals, a single byte range, response overrides, stored checksums.
    func getObject(_ request: HTTPRequest, bucket: String, key: String) throws -> HTTPResponse {
        try requireBucket(bucket)
        guard let (fd, metadata, length) = try disk.openObject(bucket: bucket, key: key) else { throw S3Error.noSuchKey(key) }
        var handedOver = false
        defer { if !handedOver { close(fd) } }
        var headers = HTTPHeaders()
        headers.set("ETag", "\"\(metadata.etag)\"")
        headers.set("Last-Modified", S3Time.httpDate(metadata.lastModifiedDate))
        headers.set("Accept-Ranges", "bytes")
        if let status = try Self.evaluateConditions(request.headers, metadata: metadata) {
            return HTTPResponse(status: HTTPStatus(status), headers: headers)
        }
        let contentType = request.queryValue("response-content-type") ?? metadata.contentType
        headers.set("Content-Type", contentType)
        // No sniffing a stored file into something else, and no script from one that is not safe to render.
        headers.set("X-Content-Type-Options", "nosniff")
        if !InlineSafety.isSafeInline(contentType) { headers.set("Content-Security-Policy", "sandbox") }
        if let disposition = request.queryValue("response-content-disposition") ?? metadata.contentDisposition {
            headers.set("Content-Disposition", disposition)
        }
        if let cacheControl = request.queryValue("response-cache-control") ?? metadata.cacheControl { headers.set("Cache-Control", cacheControl) }
        if let encoding = request.queryValue("response-content-encoding") ?? metadata.contentEncoding { headers.set("Content-Encoding", encoding) }
        if let expires = request.queryValue("response-expires") ?? metadata.expires { headers.set("Expires", expires) }
        if let language = request.queryValue("response-content-language") ?? metadata.contentLanguage { headers.set("Content-Language", language) }
        for (name, value) in metadata.userMetadata.sorted(by: { $0.key < $1.key }) { headers.set("x-amz-meta-\(name)", value) }
        if let parts = metadata.partCount { headers.set("x-amz-mp-parts-count", String(parts)) }
        var offset: Int64 = 0
        var count = length
        var status: HTTPStatus = 200
        if let part = try Self.partRange(request, metadata: metadata, length: length) {
            (offset, count) = (part.offset, part.count)
            status = metadata.partSizes == nil ? 200 : 206
            if status == 206 { headers.set("Content-Range", "bytes \(offset)-\(offset + count - 1)/\(length)") }
            headers.set("x-amz-mp-parts-count", String(metadata.partCount ?? 1))
        } else if let range = request.headers["range"], Self.isSingleByteRange(range) {
            guard let (start, end) = Self.parseRange(range, size: length) else {
                var error = S3Error(
                    .invalidRange, "The requested range is not satisfiable.", status: 416,
                    details: [("RangeRequested", range), ("ActualObjectSize", String(length))])
                error.headers = [("Content-Range", "bytes */\(length)")]
                throw error
            }
            offset = start
            count = end - start + 1
            status = 206
            headers.set("Content-Range", "bytes \(start)-\(end)/\(length)")
        } else if request.headers["x-amz-checksum-mode"]?.uppercased() == "ENABLED" {
            for (algorithm, value) in metadata.checksums { headers.set("x-amz-checksum-\(algorithm.lowercased())", value) }
            if !metadata.checksums.isEmpty { headers.set("x-amz-checksum-type", metadata.checksumType ?? "FULL_OBJECT") }
        }
        handedOver = true
        var response = HTTPResponse(status: status, headers: headers, body: .file(descriptor: fd, offset: offset, length: count))
        if let served = configuration.served, let receipt = request.queryValue("x-dropgate-receipt"), receipt.utf8.count <= 200 {
            response.onSent = { [offset, count] complete in served(receipt, offset, count, length, complete) }
        }
        return response
    }

    /// The bytes of `?partNumber=N`: that part of a multipart object, the whole of any other object for part 1, and
    /// 400 `InvalidPartNumber` past the last part of either; nil without the parameter.
    static func partRange(_ request: HTTPRequest, metadata: ObjectMetadata, length: Int64) throws -> (offset: Int64, count: Int64)? {
        guard let text = request.queryValue("partNumber") else { return nil }
        guard let number = Int(text), (1...10_000).contains(number) else {
            throw S3Error.invalidArgument("Part number must be an integer between 1 and 10000, inclusive.")
        }
        guard request.headers["range"] == nil else {
            throw S3Error.invalidArgument("Cannot specify both Range header and partNumber query parameter.")
        }
        let sizes = metadata.partSizes ?? [length]
        guard number <= sizes.count else {
            throw S3Error(
                .invalidPartNumber, "The requested partnumber is not satisfiable.", status: 400,
                details: [("PartNumberRequested", String(number)), ("ActualPartCount", String(sizes.count))])
        }
        let offset = sizes.prefix(number - 1).reduce(0, +)
        return (offset, sizes[number - 1])
    }

    /// The status a precondition forces (304 or 412), or nil to answer normally. RFC 9110 section 13.2.2 order.
    static func evaluateConditions(_ headers: HTTPHeaders, metadata: ObjectMetadata) throws -> Int? {
        let modified = metadata.lastModifiedDate
        if let ifMatch = headers["if-match"] {
            guard etagMatches(ifMatch, metadata.etag) else {
                throw S3Error(
                    .preconditionFailed, "At least one of the preconditions you specified did not hold: If-Match.", status: 412,
                    details: [("Condition", "If-Match")])
            }
        } else if let text = headers["if-unmodified-since"], let date = HTTPDate.parse(text), modified > date {
            throw S3Error(
                .preconditionFailed, "At least one of the preconditions you specified did not hold: If-Unmodified-Since.", status: 412,
                details: [("Condition", "If-Unmodified-Since")])
        }
        if let ifNoneMatch = headers["if-none-match"] {
            if etagMatches(ifNoneMatch, metadata.etag) { return 304 }
        } else if let text = headers["if-modified-since"], let date = HTTPDate.parse(text), modified <= date {
            return 304
        }
        return nil
    }

    /// Whether `header` is a syntactically valid single byte range; anything else is ignored (the whole
    /// object is sent), as S3 and RFC 9110 section 14.2 do.
    static func isSingleByteRange(_ header: String) -> Bool {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return false }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard let dash = spec.firstIndex(of: "-") else { return false }
        let first = spec[..<dash]
        let last = spec[spec.index(after: dash)...]
        let digits = { (text: Substring) in text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber) }
        return (!first.isEmpty || !last.isEmpty) && digits(first) && digits(last)
    }

    /// `bytes=a-b`, `bytes=a-` or `bytes=-n` against an object of `size` bytes; nil when unsatisfiable.
    static func parseRange(_ header: String, size: Int64) -> (Int64, Int64)? {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash]
        let last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            guard let suffix = Int64(last), suffix > 0, size > 0 else { return nil }
            return (max(0, size - suffix), size - 1)
        }
        guard let start = Int64(first), start >= 0, start < size else { return nil }
        if last.isEmpty { return (start, size - 1) }
        guard let end = Int64(last), end >= start else { return nil }
        return (start, min(end, size - 1))
    }
}
