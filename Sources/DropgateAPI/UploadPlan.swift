import Foundation

/// The answer to `POST /api/uploads` (201): where and how to send the bytes, and the upload id to complete with.
///
/// On the wire, the fields of ``Transfer`` sit beside the id: `method` PUT with `url` and `headers`, `method` POST
/// with `url` and `fields`, or a `multipart` object.
public struct UploadPlan: Sendable, Equatable {
    /// The upload id: a token the gateway signed; pass it to `POST /api/uploads/{id}/complete`.
    public var id: String
    /// The object key the bytes go to.
    public var key: String
    /// When the upload URLs stop working.
    public var expiresAt: Date
    /// Set when the URLs expire early because the gateway's temporary storage credentials do.
    public var expiryClamped: String?
    /// How the bytes go to the store.
    public var send: Send
    /// How clients should retry and parallelize.
    public var transfer: TransferPolicy

    /// Exactly one way to send the bytes.
    public enum Send: Sendable, Equatable {
        /// One presigned PUT; `headers` must be sent exactly (they are signed); `Content-Length` is the declared size.
        case put(url: String, headers: [String: String])
        /// A POST-policy form: the `fields`, then the `file` field.
        case post(url: String, fields: [String: String])
        /// Parts, each with a presigned PUT of its own.
        case multipart(MultipartPlan)
    }

    public init(id: String, key: String, expiresAt: Date, expiryClamped: String? = nil, send: Send, transfer: TransferPolicy) {
        self.id = id
        self.key = key
        self.expiresAt = expiresAt
        self.expiryClamped = expiryClamped
        self.send = send
        self.transfer = transfer
    }
}

extension UploadPlan: Codable {
    enum CodingKeys: String, CodingKey {
        case id, key, expiresAt, expiryClamped, method, url, headers, fields, multipart, transfer
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        key = try container.decode(String.self, forKey: .key)
        expiresAt = try container.decode(Date.self, forKey: .expiresAt)
        expiryClamped = try container.decodeIfPresent(String.self, forKey: .expiryClamped)
        transfer = try container.decode(TransferPolicy.self, forKey: .transfer)
        if let multipart = try container.decodeIfPresent(MultipartPlan.self, forKey: .multipart) {
            send = .multipart(multipart)
            return
        }
        let method = try container.decode(String.self, forKey: .method)
        let url = try container.decode(String.self, forKey: .url)
        switch method {
        case "PUT": send = .put(url: url, headers: try container.decode([String: String].self, forKey: .headers))
        case "POST": send = .post(url: url, fields: try container.decode([String: String].self, forKey: .fields))
        default: throw DecodingError.dataCorruptedError(forKey: .method, in: container, debugDescription: "method must be PUT or POST.")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(key, forKey: .key)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encodeIfPresent(expiryClamped, forKey: .expiryClamped)
        try container.encode(transfer, forKey: .transfer)
        switch send {
        case .put(let url, let headers):
            try container.encode("PUT", forKey: .method)
            try container.encode(url, forKey: .url)
            try container.encode(headers, forKey: .headers)
        case .post(let url, let fields):
            try container.encode("POST", forKey: .method)
            try container.encode(url, forKey: .url)
            try container.encode(fields, forKey: .fields)
        case .multipart(let multipart):
            try container.encode(multipart, forKey: .multipart)
        }
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
