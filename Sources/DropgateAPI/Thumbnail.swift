import Foundation

/// The body of `POST /api/uploads/{id}/thumbnail`: a small picture of the upload (an image's thumbnail, a video's
/// poster frame) that the uploader's browser drew, sent to the store beside the file through a presigned PUT of its
/// own. The gateway never decodes it: completion checks its size and its first bytes.
public struct ThumbnailRequest: Codable, Sendable, Equatable {
    /// Bytes, 1 to ``ThumbnailRequest/maximumBytes`` (sealed: up to ``ThumbnailRequest/maximumSealedBytes``).
    public var size: Int64
    /// `image/webp` or `image/jpeg`; `application/octet-stream` for an end-to-end encrypted upload's sealed thumbnail.
    public var contentType: String

    public init(size: Int64, contentType: String) {
        self.size = size
        self.contentType = contentType
    }

    /// The largest thumbnail: a 320 px WebP or JPEG is a few KiB to a few tens of KiB.
    public static let maximumBytes: Int64 = 64 << 10
    /// The largest sealed thumbnail: a thumbnail of ``maximumBytes`` in the DGE1 format (its header and one tag per record).
    public static let maximumSealedBytes: Int64 = maximumBytes + 1_024
    /// The types a plain thumbnail may have (a sealed one is `application/octet-stream`).
    public static let types: Set<String> = ["image/webp", "image/jpeg"]

    /// The keys the body may have, for ``StrictJSON``.
    public static let shape = StrictJSON.Shape.object(["size": .value, "contentType": .value])
}

/// The answer to `POST /api/uploads/{id}/thumbnail` (201): PUT the thumbnail's bytes to `url` with exactly `headers`,
/// then complete the upload; the thumbnail is checked and kept with the file.
public struct ThumbnailPlan: Codable, Sendable, Equatable {
    public var url: String
    public var headers: [String: String]

    public init(url: String, headers: [String: String]) {
        self.url = url
        self.headers = headers
    }
}
