import Foundation
import HTTPServer
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
        var skipPrefix: String?
        if isV2, let token = request.queryValue("continuation-token") {
            guard let data = Data(base64Encoded: token), let decoded = String(data: data, encoding: .utf8) else {
                throw S3Error.invalidArgument("The continuation token provided is incorrect.")
            }
            if decoded.hasPrefix("P") { skipPrefix = String(decoded.dropFirst()) }
            after = String(decoded.dropFirst())
        }
        let encode = { (text: String) in urlEncoded ? PercentEncoding.encode(text, keepingSlash: true) : text }
        var contents: [S3XML.Node] = []
        var prefixes: [S3XML.Node] = []
        var seenPrefixes = Set<String>()
        var count = 0
        var truncated = false
        var lastItem: (value: String, isPrefix: Bool)?
        for object in try disk.listObjects(bucket) {
            let key = object.key
            guard key.hasPrefix(prefix), key.utf8.lexicographicallyPrecedes(after.utf8) == false, key != after else { continue }
            if let skipPrefix, key.hasPrefix(skipPrefix) { continue }
            var commonPrefix: String?
            if let delimiter, let range = key.dropFirst(prefix.count).range(of: delimiter) {
                commonPrefix = String(key[..<range.upperBound])
            }
            if let commonPrefix, seenPrefixes.contains(commonPrefix) { continue }
            if count == maximum {
                truncated = true
                break
            }
            count += 1
            if let commonPrefix {
                seenPrefixes.insert(commonPrefix)
                prefixes.append(.element("CommonPrefixes", [.text("Prefix", encode(commonPrefix))]))
                lastItem = (commonPrefix, true)
            } else {
                contents.append(
                    .element(
                        "Contents",
                        [
                            .text("Key", encode(key)), .text("LastModified", S3Time.iso8601(object.lastModifiedDate)),
                            .text("ETag", "\"\(object.etag)\""),
                            .text("Size", String(object.size)), .text("StorageClass", "STANDARD"),
                        ]))
                lastItem = (key, false)
            }
        }
        var nodes: [S3XML.Node] = [.text("Name", bucket), .text("Prefix", encode(prefix))]
        if let delimiter { nodes.append(.text("Delimiter", encode(delimiter))) }
        nodes.append(.text("MaxKeys", String(maximum)))
        if urlEncoded { nodes.append(.text("EncodingType", "url")) }
        nodes.append(.text("IsTruncated", truncated ? "true" : "false"))
        if isV2 {
            nodes.append(.text("KeyCount", String(count)))
            if let token = request.queryValue("continuation-token") { nodes.append(.text("ContinuationToken", token)) }
            if let startAfter = request.queryValue("start-after") { nodes.append(.text("StartAfter", encode(startAfter))) }
            if truncated, let lastItem {
                let token = Data(((lastItem.isPrefix ? "P" : "K") + lastItem.value).utf8).base64EncodedString()
                nodes.append(.text("NextContinuationToken", token))
            }
        } else {
            nodes.append(.text("Marker", encode(request.queryValue("marker") ?? "")))
            if truncated, let lastItem, delimiter != nil { nodes.append(.text("NextMarker", encode(lastItem.value))) }
        }
        return xml(200, S3XML.document("ListBucketResult", nodes + contents + prefixes))
    }

    /// DeleteObjects: `<Delete><Object><Key>…</Key></Object>…<Quiet>true</Quiet></Delete>`, at most 1000 keys.
    func deleteObjects(_ request: HTTPRequest, body: HTTPRequestBody, bucket: String) throws -> HTTPResponse {
        try requireBucket(bucket)
        let root = try S3XML.parse(try body.readAll(limit: 2 * 1024 * 1024))
        let keys = root.children(named: "Object").compactMap { $0.text(of: "Key") }
        guard !keys.isEmpty, keys.count <= 1000 else {
            throw S3Error("MalformedXML", "Delete must list between 1 and 1000 objects.", status: 400)
        }
        let quiet = root.text(of: "Quiet")?.lowercased() == "true"
        var nodes: [S3XML.Node] = []
        for key in keys {
            do {
                try Self.validate(key: key)
                try disk.deleteObject(bucket: bucket, key: key)
                if !quiet { nodes.append(.element("Deleted", [.text("Key", key)])) }
            } catch let error as S3Error {
                nodes.append(.element("Error", [.text("Key", key), .text("Code", error.code), .text("Message", error.message)]))
            }
        }
        return xml(200, S3XML.document("DeleteResult", nodes))
    }
}
