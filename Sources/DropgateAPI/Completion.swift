import Foundation

/// The body of `POST /api/uploads/{id}/complete`: the parts of a multipart upload, nothing otherwise.
public struct CompletionRequest: Codable, Sendable, Equatable {
    public var parts: [CompletedPart]?

    public init(parts: [CompletedPart]? = nil) { self.parts = parts }
}

/// A part as the store acknowledged it.
public struct CompletedPart: Codable, Sendable, Equatable {
    public var partNumber: Int
    /// The part's ETag, quoted or not.
    public var etag: String

    public init(partNumber: Int, etag: String) {
        self.partNumber = partNumber
        self.etag = etag
    }
}

/// The answer to a successful completion (201): the share, and the one-time delete token that revokes it.
public struct Completion: Codable, Sendable, Equatable {
    public var share: ShareLink
    /// A short-lived presigned GET that shows the file inline.
    public var viewUrl: String
    /// A short-lived presigned GET that downloads it under its name.
    public var downloadUrl: String
    /// `DELETE /api/shares/{id}` with `Authorization: Bearer <deleteToken>` revokes the share.
    public var deleteToken: String
    public var expiresAt: Date

    public init(share: ShareLink, viewUrl: String, downloadUrl: String, deleteToken: String, expiresAt: Date) {
        self.share = share
        self.viewUrl = viewUrl
        self.downloadUrl = downloadUrl
        self.deleteToken = deleteToken
        self.expiresAt = expiresAt
    }
}

/// A share's id and its stable link.
public struct ShareLink: Codable, Sendable, Equatable {
    public var id: String
    public var url: String

    public init(id: String, url: String) {
        self.id = id
        self.url = url
    }
}

/// `GET /api/shares/{id}`: a share's public facts.
public struct ShareFacts: Codable, Sendable, Equatable {
    public var id: String
    public var filename: String
    public var size: Int64
    public var contentType: String
    public var createdAt: Date
    public var expiresAt: Date
    public var downloads: Int
    public var maxDownloads: Int?

    public init(
        id: String, filename: String, size: Int64, contentType: String, createdAt: Date, expiresAt: Date, downloads: Int, maxDownloads: Int?
    ) {
        self.id = id
        self.filename = filename
        self.size = size
        self.contentType = contentType
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.downloads = downloads
        self.maxDownloads = maxDownloads
    }
}
