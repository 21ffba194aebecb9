import Foundation
import HTTPWire
import S3Common

/// What HeadObject tells about an object.
public struct ObjectInfo: Sendable, Hashable {
    public var key: String
    public var size: Int64
    /// Without quotes.
    public var etag: String
    public var contentType: String?
    public var lastModified: String?
    /// Base64 checksums by algorithm (`SHA256`, `CRC32`, …), when the store keeps them.
    public var checksums: [String: String]
    /// `x-amz-meta-*` values by lowercased name without the prefix.
    public var metadata: [String: String]
    /// Every header of the answer.
    public var headers: HTTPHeaders

    init(key: String, headers: HTTPHeaders) {
        self.headers = headers
        var size: Int64 = 0
        var etag = ""
        var checksums: [String: String] = [:]
        var metadata: [String: String] = [:]
        var contentType: String?
        var lastModified: String?
        for field in headers {
            let (name, value) = (field.name, field.value)
            let lowered = name.lowercased()
            switch lowered {
            case "content-length": size = Int64(value) ?? 0
            case "etag": etag = ASCIIText.unquoted(value)
            case "content-type": contentType = value
            case "last-modified": lastModified = value
            default:
                if lowered.hasPrefix("x-amz-checksum-"), lowered != "x-amz-checksum-type" {
                    checksums[String(lowered.dropFirst("x-amz-checksum-".count)).uppercased()] = value
                } else if lowered.hasPrefix("x-amz-meta-") {
                    metadata[String(lowered.dropFirst("x-amz-meta-".count))] = value
                }
            }
        }
        self.key = key
        self.size = size
        self.etag = etag
        self.contentType = contentType
        self.lastModified = lastModified
        self.checksums = checksums
        self.metadata = metadata
    }
}

/// One entry of a listing.
public struct ListedObject: Sendable, Hashable {
    public var key: String
    public var size: Int64
    public var etag: String
    /// When the object was last written; nil when the store's time did not parse.
    public var lastModified: Date?
}

/// A multipart upload in progress.
public struct MultipartUploadInProgress: Sendable, Hashable {
    public var key: String
    public var uploadID: String
    /// When it was created; nil when the store's time did not parse.
    public var initiated: Date?
}

/// A page of ListMultipartUploads.
public struct MultipartUploadList: Sendable, Hashable {
    public var uploads: [MultipartUploadInProgress]
    /// Pass back to get the next page; nil on the last one.
    public var next: (keyMarker: String, uploadIDMarker: String)? {
        guard let nextKeyMarker else { return nil }
        return (nextKeyMarker, nextUploadIDMarker ?? "")
    }
    var nextKeyMarker: String?
    var nextUploadIDMarker: String?
}

/// A page of ListObjectsV2.
public struct ObjectList: Sendable, Hashable {
    public var objects: [ListedObject]
    public var commonPrefixes: [String]
    /// Pass back to get the next page; nil on the last one.
    public var nextContinuationToken: String?
}

/// A part of a multipart upload.
public struct UploadedPart: Sendable, Hashable {
    public var partNumber: Int
    /// Without quotes.
    public var etag: String
    public var size: Int64

    public init(partNumber: Int, etag: String, size: Int64 = 0) {
        self.partNumber = partNumber
        self.etag = etag
        self.size = size
    }
}
