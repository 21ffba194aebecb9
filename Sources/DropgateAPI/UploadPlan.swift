import Foundation

/// The answer to `POST /api/uploads` (201): where and how to send the bytes, and the upload id to complete with.
///
/// Exactly one of three shapes: a presigned PUT (`method` PUT, `url`, `headers`, `curl`), a multipart plan
/// (`multipart`), or a POST-policy form (`method` POST, `url`, `fields`).
public struct UploadPlan: Codable, Sendable, Equatable {
    /// The upload id: a token the gateway signed; pass it to `POST /api/uploads/{id}/complete`.
    public var id: String
    /// The object key the bytes go to.
    public var key: String
    /// When the upload URLs stop working.
    public var expiresAt: Date
    /// Set when the URLs expire early because the gateway's temporary storage credentials do.
    public var expiryClamped: String?
    public var method: String?
    public var url: String?
    /// Headers the PUT must send exactly (they are signed); `Content-Length` is the declared size.
    public var headers: [String: String]?
    /// The form fields of a POST upload, before the `file` field.
    public var fields: [String: String]?
    /// The PUT and the completion as one shell command.
    public var curl: String?
    public var multipart: MultipartPlan?
    /// How clients should retry and parallelize.
    public var transfer: TransferPolicy

    public init(
        id: String, key: String, expiresAt: Date, expiryClamped: String? = nil, method: String? = nil, url: String? = nil,
        headers: [String: String]? = nil, fields: [String: String]? = nil, curl: String? = nil, multipart: MultipartPlan? = nil,
        transfer: TransferPolicy
    ) {
        self.id = id
        self.key = key
        self.expiresAt = expiresAt
        self.expiryClamped = expiryClamped
        self.method = method
        self.url = url
        self.headers = headers
        self.fields = fields
        self.curl = curl
        self.multipart = multipart
        self.transfer = transfer
    }
}

/// The parts of a multipart upload: part `n` holds bytes `(n-1)*partSize ..< min(n*partSize, size)`.
public struct MultipartPlan: Codable, Sendable, Equatable {
    public var uploadId: String
    public var partSize: Int64
    public var parts: [PartURL]
    /// Until when the upload can be resumed: `GET /api/uploads/{id}/parts` lists what the store has, and
    /// `POST /api/uploads/{id}/parts` gives fresh URLs for the parts still to send.
    public var resumableUntil: Date?

    public init(uploadId: String, partSize: Int64, parts: [PartURL], resumableUntil: Date? = nil) {
        self.uploadId = uploadId
        self.partSize = partSize
        self.parts = parts
        self.resumableUntil = resumableUntil
    }
}

/// The body of `POST /api/uploads/{id}/parts`: the parts that need fresh URLs.
public struct PartsRequest: Codable, Sendable, Equatable {
    public var parts: [Int]?

    public init(parts: [Int]? = nil) { self.parts = parts }
}

/// The answer to `POST /api/uploads/{id}/parts`: fresh URLs, valid until `expiresAt`.
public struct PartURLs: Codable, Sendable, Equatable {
    public var parts: [PartURL]
    public var expiresAt: Date

    public init(parts: [PartURL], expiresAt: Date) {
        self.parts = parts
        self.expiresAt = expiresAt
    }
}

/// The answer to `GET /api/uploads/{id}/parts`: the parts the store has so far, with their ETags and sizes.
public struct StoredParts: Codable, Sendable, Equatable {
    public var parts: [StoredPart]

    public init(parts: [StoredPart]) { self.parts = parts }
}

/// One part the store has.
public struct StoredPart: Codable, Sendable, Equatable {
    public var partNumber: Int
    public var etag: String
    public var size: Int64

    public init(partNumber: Int, etag: String, size: Int64) {
        self.partNumber = partNumber
        self.etag = etag
        self.size = size
    }
}

/// One part's presigned PUT.
public struct PartURL: Codable, Sendable, Equatable {
    public var partNumber: Int
    public var url: String

    public init(partNumber: Int, url: String) {
        self.partNumber = partNumber
        self.url = url
    }
}

/// How a client moves the bytes: parts in flight at once and attempts per part.
public struct TransferPolicy: Codable, Sendable, Equatable {
    public var parallelParts: Int
    public var partAttempts: Int

    public init(parallelParts: Int = 4, partAttempts: Int = 3) {
        self.parallelParts = parallelParts
        self.partAttempts = partAttempts
    }
}
