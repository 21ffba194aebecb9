/// How the client sends the bytes: one presigned PUT (multipart above the gateway's threshold), or a browser POST form.
public enum UploadMode: String, Codable, Sendable {
    case put
    case post
}

/// The body of `POST /api/uploads`: what the client is about to upload.
///
/// Every field is optional on the wire so that the gateway can name exactly what is missing; numbers must be
/// whole (`12.5` and `true` are refused with the field's name).
public struct UploadRequest: Codable, Sendable, Equatable {
    /// The file's name, as people will see it.
    public var filename: String?
    /// The file's length in bytes.
    public var size: Int64?
    /// Its media type; absent or `application/octet-stream` means "the client does not know".
    public var contentType: String?
    /// Its SHA-256: 64 hex digits (as `sha256sum` prints them) or the base64 of the 32 bytes.
    public var sha256: String?
    /// Seconds the share lives.
    public var expiresIn: Int64?
    /// Full downloads allowed, at least 1.
    public var maxDownloads: Int64?
    public var mode: UploadMode?
    /// Set when the bytes are end-to-end encrypted (`docs/encryption.md`): `size` is then the sealed size.
    public var encryption: EncryptionDeclaration?

    public init(
        filename: String? = nil, size: Int64? = nil, contentType: String? = nil, sha256: String? = nil, expiresIn: Int64? = nil,
        maxDownloads: Int64? = nil, mode: UploadMode? = nil, encryption: EncryptionDeclaration? = nil
    ) {
        self.encryption = encryption
        self.filename = filename
        self.size = size
        self.contentType = contentType
        self.sha256 = sha256
        self.expiresIn = expiresIn
        self.maxDownloads = maxDownloads
        self.mode = mode
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        filename = try container.decodeIfPresent(String.self, forKey: .filename)
        size = try container.decodeWholeNumber(forKey: .size)
        contentType = try container.decodeIfPresent(String.self, forKey: .contentType)
        sha256 = try container.decodeIfPresent(String.self, forKey: .sha256)
        expiresIn = try container.decodeWholeNumber(forKey: .expiresIn)
        maxDownloads = try container.decodeWholeNumber(forKey: .maxDownloads)
        mode = try container.decodeIfPresent(UploadMode.self, forKey: .mode)
        encryption = try container.decodeIfPresent(EncryptionDeclaration.self, forKey: .encryption)
    }
}

/// What an end-to-end encrypted upload seals: the plaintext's size and the record size, which give the exact size.
public struct EncryptionDeclaration: Codable, Sendable, Equatable {
    public var plaintextSize: Int64
    public var recordSize: Int

    public init(plaintextSize: Int64, recordSize: Int) {
        self.plaintextSize = plaintextSize
        self.recordSize = recordSize
    }
}

extension KeyedDecodingContainer {
    /// A whole number within ±2^53, or a `DecodingError` that names the key. Foundation reports a fraction given
    /// for an integer field as corrupt JSON without naming the field, so numbers are read as `Double` and checked here.
    public func decodeWholeNumber(forKey key: Key) throws -> Int64? {
        guard let value = try decodeIfPresent(Double.self, forKey: key) else { return nil }
        guard value.rounded() == value, abs(value) <= 9_007_199_254_740_992 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(key.stringValue) must be a whole number.")
        }
        return Int64(value)
    }
}
