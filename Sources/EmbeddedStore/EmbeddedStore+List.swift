import Foundation
import HTTPServer
import S3Common
import SigV4

extension EmbeddedStore {
    /// ListObjectsV2 (`list-type=2`) and ListObjects v1: prefix, delimiter, max-keys, continuation-token,
    /// start-after / marker, and `encoding-type=url` (which botocore always asks for).
    func listObjects(_ request: HTTPRequest, bucket: String) throws -> HTTPResponse {
        let isV2 = request.queryValue("list-type") == "2"
        let prefix = request.queryValue("prefix") ?? ""
        let delimiter = request.queryValue("delimiter").flatMap { $0.isEmpty ? nil : $0 }
        let urlEncoded = request.queryValue("encoding-type") == "url"
        guard request.queryValue("encoding-type") == nil || urlEncoded else {
            throw S3Error.invalidArgument("Invalid Encoding Method specified in Request.")
        }
        let maximum: Int
        if let text = request.queryValue("max-keys") {
            guard let value = Int(text), value >= 0 else { throw S3Error.invalidArgument("max-keys must be a non-negative integer.") }
            maximum = min(value, 1000)
        } else {
            maximum = 1000
        }
        var after = isV2 ? (request.queryValue("start-after") ?? "") : (request.queryValue("marker") ?? "")
        if isV2, let token = request.queryValue("continuation-token") {
            guard let data = Data(base64Encoded: token), let decoded = String(data: data, encoding: .utf8) else {
                throw S3Error.invalidArgument("The continuation token provided is incorrect.")
            }
            after = String(decoded.dropFirst())
        }
        let encode = { (text: String) in urlEncoded ? PercentEncoding.encode(text, keepingSlash: true) : text }
        var contents: [ListBucketResult.Object] = []
        var prefixes: [String] = []
        var seenPrefixes = Set<String>()
        var count = 0
        var truncated = false
        var lastItem: (value: String, isPrefix: Bool)?
        let start = ObjectIndex.precedes(after, prefix) ? prefix : after
        let withOwner = !isV2 || request.queryValue("fetch-owner") == "true"
        for object in try disk.listObjects(bucket, from: start) where maximum > 0 {
            let key = object.key
            // Keys are compared as S3 compares them, by their UTF-8 bytes; from `start` on, the first key without the
            // prefix is past every key with it.
            guard key.utf8.starts(with: prefix.utf8) else { break }
            guard !key.utf8.elementsEqual(after.utf8) else { continue }
            var commonPrefix: String?
            if let delimiter, let range = key.dropFirst(prefix.count).range(of: delimiter) {
                commonPrefix = String(key[..<range.upperBound])
            }
            // A common prefix at or before the marker was on an earlier page (the marker may be that prefix itself,
            // as NextMarker and the continuation token name it): its keys are not listed again.
            if let commonPrefix, seenPrefixes.contains(commonPrefix) || !ObjectIndex.precedes(after, commonPrefix) { continue }
            if count == maximum {
                truncated = true
                break
            }
            count += 1
            if let commonPrefix {
                seenPrefixes.insert(commonPrefix)
                prefixes.append(encode(commonPrefix))
                lastItem = (commonPrefix, true)
            } else {
                contents.append(
                    ListBucketResult.Object(
                        key: encode(key), lastModified: S3Time.iso8601(object.lastModifiedDate), etag: object.etag, size: object.size,
                        owner: withOwner ? Self.ownerID : nil))
                lastItem = (key, false)
            }
        }
        var result = ListBucketResult(
            name: bucket, prefix: encode(prefix), maxKeys: maximum, isTruncated: truncated, contents: contents, commonPrefixes: prefixes)
        result.delimiter = delimiter.map(encode)
        result.encodingType = urlEncoded ? "url" : nil
        if isV2 {
            result.keyCount = count
            result.continuationToken = request.queryValue("continuation-token")
            result.startAfter = request.queryValue("start-after").map(encode)
            if truncated, let lastItem {
                result.nextContinuationToken = Data(((lastItem.isPrefix ? "P" : "K") + lastItem.value).utf8).base64EncodedString()
            }
        } else {
            result.marker = encode(request.queryValue("marker") ?? "")
            if truncated, let lastItem, delimiter != nil { result.nextMarker = encode(lastItem.value) }
        }
        return xml(200, result.document())
    }

    /// DeleteObjects: `<Delete><Object><Key>…</Key></Object>…<Quiet>true</Quiet></Delete>`, at most 1000 keys.
    func deleteObjects(_ request: HTTPRequest, body: HTTPRequestBody, bucket: String) throws -> HTTPResponse {
        try requireBucket(bucket)
        let delete = try S3XML.read(DeleteRequest.self, try body.readAll(limit: 2 * 1024 * 1024))
        let keys = delete.keys
        guard !keys.isEmpty, keys.count <= 1000 else {
            throw S3Error(.malformedXML, "Delete must list between 1 and 1000 objects.", status: 400)
        }
        let quiet = delete.quiet
        var result = DeleteResult(deleted: [], errors: [])
        for key in keys {
            do {
                try Self.validate(key: key)
                try disk.deleteObject(bucket: bucket, key: key)
                if !quiet { result.deleted.append(key) }
            } catch let error as S3Error {
                result.errors.append(DeleteResult.Failure(key: key, code: error.code.rawValue, message: error.message))
            }
        }
        return xml(200, result.document())
    }
}
