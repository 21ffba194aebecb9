import Foundation

/// The body of `POST /api/uploads/{id}/complete`: the parts of a multipart upload, nothing otherwise.
public struct CompletionRequest: Codable, Sendable, Equatable {
    public var parts: [CompletedPart]?
    /// True to verify the file without sharing it: the answer is a ``VerifiedUpload`` whose receipt goes to
    /// `POST /api/shares` with the other files of a collection.
    public var collection: Bool?

    public init(parts: [CompletedPart]? = nil, collection: Bool? = nil) {
        self.parts = parts
        self.collection = collection
    }
}

/// The answer to a completion with `"collection": true` (200): the file was verified and waits to be shared.
public struct VerifiedUpload: Codable, Sendable, Equatable {
    /// Signed by the gateway; give it to `POST /api/shares` before the upload id would have expired.
    public var receipt: String
    public var filename: String
    public var size: Int64
    public var contentType: String

    public init(receipt: String, filename: String, size: Int64, contentType: String) {
        self.receipt = receipt
        self.filename = filename
        self.size = size
        self.contentType = contentType
    }
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
    /// Every file of the share with its own link, in order.
    public var files: [SharedFileLink]?
    /// A short-lived presigned GET that shows the file inline.
    public var viewUrl: String
    /// A short-lived presigned GET that downloads it under its name.
    public var downloadUrl: String
    /// `DELETE /api/shares/{id}` with `Authorization: Bearer <deleteToken>` revokes the share.
    public var deleteToken: String
    public var expiresAt: Date

    public init(share: ShareLink, files: [SharedFileLink]? = nil, viewUrl: String, downloadUrl: String, deleteToken: String, expiresAt: Date) {
        self.share = share
        self.files = files
        self.viewUrl = viewUrl
        self.downloadUrl = downloadUrl
        self.deleteToken = deleteToken
        self.expiresAt = expiresAt
    }
}

/// One file of a share: its name, size and stable link (`/s/{id}/{n}`).
public struct SharedFileLink: Codable, Sendable, Equatable {
    public var filename: String
    public var size: Int64
    public var contentType: String
    public var url: String
    /// The folder it sits in within the collection (see ``FolderPath``); absent at the top level.
    public var folder: String?

    public init(filename: String, size: Int64, contentType: String, url: String, folder: String? = nil) {
        self.folder = folder
        self.filename = filename
        self.size = size
        self.contentType = contentType
        self.url = url
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
    /// Every file; `filename`, `size` and `contentType` above are the first one's.
    public var files: [SharedFileLink]?
    /// An end-to-end encrypted share: file 1 is the sealed manifest, and the names here are the uploads' placeholders.
    public var encrypted: Bool?
    /// An encrypted share's key wrapped with its password (given only to a request that unlocked the share).
    public var keyWrap: WrappedKey?

    public init(
        id: String, filename: String, size: Int64, contentType: String, createdAt: Date, expiresAt: Date, downloads: Int, maxDownloads: Int?,
        files: [SharedFileLink]? = nil, encrypted: Bool? = nil, keyWrap: WrappedKey? = nil
    ) {
        self.files = files
        self.encrypted = encrypted
        self.keyWrap = keyWrap
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

/// `GET /api/shares/{id}/unlock`: what opening a share with a password takes, before it is opened.
public struct UnlockInfo: Codable, Sendable, Equatable {
    /// The share has a password: `POST /s/{id}/unlock` with the form field `password`.
    public var passwordRequired: Bool
    /// For an encrypted share: the key wrap's public salt and PBKDF2 count; the form then takes the access secret
    /// derived from them (`docs/encryption.md`), never the password.
    public var salt: String?
    public var iterations: Int?

    public init(passwordRequired: Bool, salt: String? = nil, iterations: Int? = nil) {
        self.passwordRequired = passwordRequired
        self.salt = salt
        self.iterations = iterations
    }
}

/// One of a signed-in user's shares, as `GET /api/me/shares` lists it.
public struct OwnedShare: Codable, Sendable, Equatable {
    public var id: String
    /// The share's link.
    public var url: String
    /// The file's name, or the collection's (its first file and how many more).
    public var title: String
    public var files: Int
    public var size: Int64
    public var createdAt: Date
    public var expiresAt: Date
    /// Downloads so far (of the file, or of a collection's most downloaded file).
    public var downloads: Int
    public var maxDownloads: Int?
    public var password: Bool
    public var encrypted: Bool
    /// Why the link no longer serves, when it does not (expired, revoked, used up).
    public var unavailable: String?
    /// Each file's name, in order (file `n` is `/s/{id}/{n}`).
    public var fileNames: [String]?

    public init(
        id: String, url: String, title: String, files: Int, size: Int64, createdAt: Date, expiresAt: Date, downloads: Int, maxDownloads: Int?,
        password: Bool, encrypted: Bool, unavailable: String?, fileNames: [String]? = nil
    ) {
        self.fileNames = fileNames
        self.id = id
        self.url = url
        self.title = title
        self.files = files
        self.size = size
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.downloads = downloads
        self.maxDownloads = maxDownloads
        self.password = password
        self.encrypted = encrypted
        self.unavailable = unavailable
    }
}

/// A page of a signed-in user's shares, newest first.
public struct OwnedShares: Codable, Sendable, Equatable {
    public var shares: [OwnedShare]
    /// How many live shares the account keeps.
    public var total: Int
    /// The next page's number (`?page=`), when there is one.
    public var nextPage: Int?

    public init(shares: [OwnedShare], total: Int, nextPage: Int?) {
        self.shares = shares
        self.total = total
        self.nextPage = nextPage
    }
}
