import CurlHTTP
import Foundation
import S3Common
import SigV4

extension S3Client {
    /// HeadObject with `x-amz-checksum-mode: ENABLED`; nil when the object does not exist.
    public func headObject(key: String) throws -> ObjectInfo? {
        let response = try send(Request(method: "HEAD", key: key, headers: [.init("x-amz-checksum-mode", "ENABLED")]), accepting: [404])
        return response.status == 404 ? nil : ObjectInfo(key: key, headers: response.headers)
    }

    /// GetObject of a small object into memory.
    public func getObject(key: String) throws -> (bytes: [UInt8], info: ObjectInfo) {
        let response = try send(Request(method: "GET", key: key))
        return (response.body, ObjectInfo(key: key, headers: response.headers))
    }

    /// GetObject with the body handed to `consumer` as it arrives (flat memory; no total deadline, only the stall
    /// timeout); `consumer` returns false to stop. Returns the object's headers; an S3 error throws before any byte.
    ///
    /// libcurl calls `consumer` on this thread, during this call, so it need not be `Sendable` or escape.
    @discardableResult
    public func streamObject(key: String, consumer: (UnsafeRawBufferPointer) -> Bool) throws -> ObjectInfo {
        try withoutActuallyEscaping(consumer) { consumer in
            let callback = SameThreadCallback(consumer)
            let response = try send(Request(method: "GET", key: key, sink: .stream { callback.call($0) }, isLongTransfer: true))
            return ObjectInfo(key: key, headers: response.headers)
        }
    }

    /// The first `count` bytes of an object (a ranged GET); fewer when the object is shorter, none when it is empty.
    public func getObjectPrefix(key: String, count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        let response = try send(Request(method: "GET", key: key, headers: [.init("Range", "bytes=0-\(count - 1)")]), accepting: [416])
        return response.status == 416 ? [] : Array(response.body.prefix(count))
    }

    /// PutObject of a small body; returns the ETag (without quotes).
    ///
    /// - Parameter ifNoneMatch: send `If-None-Match: *`, so an existing key is not overwritten (412).
    @discardableResult
    public func putObject(
        key: String, body: [UInt8], contentType: String = "application/octet-stream", metadata: [String: String] = [:], ifNoneMatch: Bool = false,
        checksumSHA256: String? = nil
    ) throws -> String {
        var headers: HTTPHeaders = [.init("Content-Type", contentType), .init("Content-Length", String(body.count))]
        if ifNoneMatch { headers.append(.init("If-None-Match", "*")) }
        if let checksumSHA256 { headers.append(.init("x-amz-checksum-sha256", checksumSHA256)) }
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) { headers.append(.init("x-amz-meta-\(name)", value)) }
        let response = try send(Request(method: "PUT", key: key, headers: headers, body: .bytes(body), payload: .sha256Hex(Self.sha256Hex(body))))
        return ASCIIText.unquoted(response.header("etag") ?? "")
    }

    /// Creates `key` with `body` unless something is there already: true when this call wrote it, false when the key
    /// existed (412). The one conditional write of the gateway's bucket state (records, indexes, ledger marks,
    /// sequenced state), because every supported store honours `If-None-Match: *` (Ceph RGW refuses `If-Match`).
    public func create(key: String, body: [UInt8], contentType: String = "application/json") throws -> Bool {
        do {
            try putObject(key: key, body: body, contentType: contentType, ifNoneMatch: true)
            return true
        } catch let error as S3ClientError where error.status == 412 {
            return false
        }
    }

    /// DeleteObject (succeeds when the key does not exist, as S3 does).
    public func deleteObject(key: String) throws {
        _ = try send(Request(method: "DELETE", key: key))
    }

    /// CopyObject within the bucket: `source`'s bytes and metadata under `key` (up to 5 GiB, S3's limit for one copy).
    /// Returns the new object's ETag (unquoted).
    @discardableResult
    public func copyObject(from source: String, to key: String) throws -> String {
        let copySource = "/\(configuration.bucket)/\(PercentEncoding.encode(source, keepingSlash: true))"
        let response = try send(Request(method: "PUT", key: key, headers: [.init("x-amz-copy-source", copySource), .init("Content-Length", "0")]))
        // S3 may answer 200 with an <Error> body when a copy fails after it started.
        if XMLTree.parse(response.body)?.name == S3ErrorDocument.rootName {
            throw S3ClientError(status: 200, body: response.body, headers: response.headers)
        }
        return try Self.read(CopyObjectResult.self, response).etag
    }

    /// GetObjectAcl: the object's ACL; nil when the store keeps no ACLs (it answers 501 NotImplemented, as R2 does).
    public func objectACL(key: String) throws -> AccessControlPolicy? {
        let response = try send(Request(method: "GET", key: key, query: [.init("acl", "")]), accepting: [501])
        return response.status == 501 ? nil : try Self.read(AccessControlPolicy.self, response)
    }

    /// One page of ListObjectsV2, from the start, after `startAfter`, or where `continuationToken` left off.
    ///
    /// It asks for `encoding-type=url`, as botocore does, so that a key holding a character XML 1.0 cannot carry (which
    /// anyone with write access to the bucket may create) cannot make every listing of its prefix unreadable.
    public func listObjects(
        prefix: String = "", delimiter: String? = nil, maxKeys: Int = 1000, continuationToken: String? = nil, startAfter: String? = nil
    ) throws -> ObjectList {
        var query: [SignableRequest.QueryItem] = [.init("list-type", "2"), .init("max-keys", String(maxKeys)), .init("encoding-type", "url")]
        if !prefix.isEmpty { query.append(.init("prefix", PercentEncoding.encode(prefix))) }
        if let delimiter { query.append(.init("delimiter", PercentEncoding.encode(delimiter))) }
        if let continuationToken { query.append(.init("continuation-token", PercentEncoding.encode(continuationToken))) }
        if let startAfter { query.append(.init("start-after", PercentEncoding.encode(startAfter))) }
        let response = try send(Request(method: "GET", key: nil, query: query))
        let result = try Self.read(ListBucketResult.self, response)
        let decode = Self.listedKeys(encodingType: result.encodingType)
        let objects = try result.contents.map {
            ListedObject(key: try decode($0.key), size: $0.size, etag: $0.etag, lastModified: AmzDate(iso8601: $0.lastModified)?.date)
        }
        let token = result.isTruncated ? result.nextContinuationToken : nil
        return ObjectList(objects: objects, commonPrefixes: try result.commonPrefixes.map(decode), nextContinuationToken: token)
    }

    /// A key of a listing under `encoding-type=url`: `%XX` escapes, and `+` for a space as S3 writes it (a literal
    /// plus comes as `%2B`).
    static func urlDecoded(_ text: String) -> String? {
        PercentDecoding.decode(text.replacingOccurrences(of: "+", with: " "))
    }

    /// How a listing's keys read: decoded when the answer says `<EncodingType>url`, as they are when it does not (a
    /// store that ignores `encoding-type` leaves it out); a key that does not decode is a `MalformedResponse`.
    static func listedKeys(encodingType: String?) -> (String) throws -> String {
        { text in
            guard encodingType == "url" else { return text }
            guard let decoded = urlDecoded(text) else {
                throw S3ClientError(status: 200, code: "MalformedResponse", message: "A listed key is not percent-encoded UTF-8: \(text)")
            }
            return decoded
        }
    }

    /// HeadBucket: throws when the bucket is missing or the credentials are refused; returns the response headers.
    @discardableResult
    public func headBucket() throws -> HTTPHeaders {
        try send(Request(method: "HEAD", key: nil)).headers
    }

    /// The store's answer as the body it should be; anything else is a `MalformedResponse` that says what came.
    static func read<Body: XMLBody>(_ type: Body.Type, _ response: HTTPCallResponse) throws -> Body {
        do {
            return try Body(bytes: response.body)
        } catch {
            throw S3ClientError(
                status: response.status, code: "MalformedResponse", message: "The store's answer is not a valid \(Body.rootName): \(error.message)")
        }
    }
}

/// A callback that libcurl invokes on the thread that performs the transfer, during the transfer.
///
/// `@unchecked Sendable`: `HTTPCall` is `Sendable` so that transports may be shared, but a stream sink is only ever
/// called synchronously inside ``S3Client/streamObject(key:consumer:)``, on its caller's thread.
final class SameThreadCallback: @unchecked Sendable {
    let call: (UnsafeRawBufferPointer) -> Bool
    init(_ call: @escaping (UnsafeRawBufferPointer) -> Bool) { self.call = call }
}
