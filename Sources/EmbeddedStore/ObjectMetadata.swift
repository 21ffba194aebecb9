import Foundation
import HTTPServer

/// What the store keeps about an object besides its bytes.
public struct ObjectMetadata: Codable, Sendable, Hashable {
    public var key: String
    public var size: Int64
    /// The ETag without quotes: MD5 hex, or for multipart `md5(md5s)-N`.
    public var etag: String
    public var contentType: String
    public var contentDisposition: String?
    public var contentEncoding: String?
    public var cacheControl: String?
    /// `x-amz-meta-*` values, names lowercased and without the prefix.
    public var userMetadata: [String: String]
    /// Base64 checksums by algorithm name (`CRC32`, `SHA256`, …).
    public var checksums: [String: String]
    /// Seconds since 1970.
    public var lastModified: Double
    public var partCount: Int?
    /// The `Expires` header to send back, as the client gave it.
    public var expires: String? = nil
    public var contentLanguage: String? = nil
    /// A multipart object's part sizes, in order (for `?partNumber=N`).
    public var partSizes: [Int64]? = nil
    /// `COMPOSITE` or `FULL_OBJECT` for a multipart object's checksum.
    public var checksumType: String? = nil

    public var lastModifiedDate: Date { Date(timeIntervalSince1970: lastModified) }

    /// Sets what S3 stores from a write's headers: `Content-Type` (default `binary/octet-stream`),
    /// `Content-Disposition`, `Content-Encoding` (without the `aws-chunked` transport coding), `Cache-Control`,
    /// `Content-Language`, `Expires` and the `x-amz-meta-*` values.
    mutating func storeRepresentation(from headers: HTTPHeaders) {
        contentType = headers["content-type"] ?? "binary/octet-stream"
        contentDisposition = headers["content-disposition"]
        contentEncoding = EmbeddedStore.storedContentEncoding(headers["content-encoding"])
        cacheControl = headers["cache-control"]
        contentLanguage = headers["content-language"]
        expires = headers["expires"]
        userMetadata = EmbeddedStore.userMetadata(headers)
    }

    /// An object named `key` whose representation comes from `headers`; sizes, ETag and times are the caller's to set.
    static func fromHeaders(_ headers: HTTPHeaders, key: String, now: Double) -> ObjectMetadata {
        var metadata = ObjectMetadata(
            key: key, size: 0, etag: "", contentType: "", contentDisposition: nil, contentEncoding: nil, cacheControl: nil, userMetadata: [:],
            checksums: [:], lastModified: now, partCount: nil)
        metadata.storeRepresentation(from: headers)
        return metadata
    }
}

/// The on-disk object format: the data, then the metadata as JSON, then a 16-byte trailer holding the
/// JSON's length and a magic. Data and metadata are one file, so one rename publishes both at once.
enum ObjectFile {
    static let magic: [UInt8] = Array("DGOBJv1\n".utf8)

    /// Appends the metadata and trailer to an open file whose data ends at `dataLength`.
    static func appendMetadata(_ metadata: ObjectMetadata, fd: Int32, dataLength: Int64) throws {
        let json = try JSONEncoder().encode(metadata)
        var trailer = [UInt8](json)
        let length = UInt64(json.count)
        for shift in stride(from: 56, through: 0, by: -8) { trailer.append(UInt8(truncatingIfNeeded: length >> UInt64(shift))) }
        trailer.append(contentsOf: magic)
        try FileIO.writeAll(fd, trailer, at: dataLength)
    }

    /// Reads the metadata of an open object file; returns it and the data length.
    static func readMetadata(fd: Int32) throws -> (ObjectMetadata, dataLength: Int64) {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size >= 16 else { throw S3Error.internalError("A stored object is truncated.") }
        let size = Int64(info.st_size)
        let trailer = try FileIO.read(fd, count: 16, at: size - 16)
        guard Array(trailer[8..<16]) == magic else { throw S3Error.internalError("A stored object has no metadata trailer.") }
        let jsonLength = trailer[0..<8].reduce(Int64(0)) { $0 << 8 | Int64($1) }
        guard jsonLength > 0, jsonLength <= size - 16 else { throw S3Error.internalError("A stored object's metadata is corrupt.") }
        let json = try FileIO.read(fd, count: Int(jsonLength), at: size - 16 - jsonLength)
        let metadata = try JSONDecoder().decode(ObjectMetadata.self, from: Data(json))
        return (metadata, size - 16 - jsonLength)
    }
}
