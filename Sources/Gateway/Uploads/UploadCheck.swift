import Crypto
import EndToEnd
import Foundation
import HTTPWire
import S3Client
import S3Common

/// What a client declared about an upload before sending it.
public struct DeclaredUpload: Sendable, Hashable {
    public var key: String
    public var size: Int64
    public var contentType: String
    /// The base64 SHA-256 the client promised, if any.
    public var sha256: String?
    /// For an end-to-end encrypted upload, the record size its sealed header must name (no type can be checked).
    public var sealedRecordSize: Int?

    public init(key: String, size: Int64, contentType: String, sha256: String? = nil, sealedRecordSize: Int? = nil) {
        self.sealedRecordSize = sealedRecordSize
        self.key = key
        self.size = size
        self.contentType = contentType
        self.sha256 = sha256
    }
}

/// One way an uploaded object differs from its declaration.
public enum UploadMismatch: Sendable, Hashable, CustomStringConvertible {
    case missing
    case size(declared: Int64, actual: Int64)
    case contentType(declared: String, actual: String?)
    case checksum(declared: String, actual: String)
    case checksumMissing
    /// A header the upload plan did not sign was stored with the object (`Content-Encoding: gzip`, `x-amz-meta-*`).
    case unsignedHeader(name: String, value: String)
    /// The bytes are not of the declared type (HTML declared `image/png`, an executable declared `application/pdf`).
    case typeMismatch(declared: String, detected: String)
    /// An upload declared end-to-end encrypted does not start with the sealed header it declared.
    case notSealed

    /// A short machine-readable name: `missing`, `size`, `content_type`, `checksum`, `checksum_missing`, `unsigned_header`.
    /// Whether the bytes are of another type than the one declared.
    var isTypeMismatch: Bool {
        if case .typeMismatch = self { true } else { false }
    }

    public var code: String {
        switch self {
        case .missing: "missing"
        case .size: "size"
        case .contentType: "content_type"
        case .checksum: "checksum"
        case .checksumMissing: "checksum_missing"
        case .unsignedHeader: "unsigned_header"
        case .typeMismatch: "type_mismatch"
        case .notSealed: "not_sealed"
        }
    }

    public var description: String {
        switch self {
        case .missing: "The object was not uploaded."
        case .size(let declared, let actual): "The object is \(actual) bytes, but \(declared) were declared."
        case .contentType(let declared, let actual): "The object's type is \(actual ?? "unset"), but \(declared) was declared."
        case .checksum(let declared, let actual): "The object's SHA-256 is \(actual), but \(declared) was declared."
        case .checksumMissing: "The store keeps no SHA-256 for the object, and one is required."
        case .unsignedHeader(let name, let value): "The object was stored with \(name): \(value), which the upload plan did not sign."
        case .typeMismatch(let declared, let detected): "The file was declared \(declared), but its bytes are \(detected)."
        case .notSealed: "The upload was declared end-to-end encrypted, but it does not start with the declared DGE1 header."
        }
    }
}

/// Checks an uploaded object against its declaration with a signed HEAD.
public enum UploadCheck {
    /// What to do when a SHA-256 was declared but the store keeps none (Ceph RGW does not).
    public enum ChecksumPolicy: Sendable, Hashable {
        /// Refuse the upload.
        case required
        /// Read the object back and hash it, when it is at most this many bytes; refuse larger ones.
        case readBack(maximumBytes: Int64)
    }

    /// The outcome of a check.
    public enum Outcome: Sendable, Hashable {
        case verified(ObjectInfo)
        case rejected([UploadMismatch])
    }

    /// HEADs `declared.key` and compares size, Content-Type and SHA-256.
    /// - Parameter sniffer: identifies the first bytes (a ranged GET) when given; their type must fit the declaration.
    public static func run(
        _ declared: DeclaredUpload, client: S3Client, policy: ChecksumPolicy = .readBack(maximumBytes: 64 * 1024 * 1024),
        sniffer: ContentSniffer? = nil
    ) throws -> Outcome {
        guard let info = try client.headObject(key: declared.key) else { return .rejected([.missing]) }
        var mismatches: [UploadMismatch] = []
        if info.size != declared.size { mismatches.append(.size(declared: declared.size, actual: info.size)) }
        mismatches += unsignedHeaders(info)
        if normalize(info.contentType) != normalize(declared.contentType) {
            mismatches.append(.contentType(declared: declared.contentType, actual: info.contentType))
        }
        if let expected = declared.sha256, mismatches.isEmpty {
            if let stored = info.checksums["SHA256"] {
                if stored != expected { mismatches.append(.checksum(declared: expected, actual: stored)) }
            } else if case .readBack(let maximum) = policy, info.size <= maximum {
                let (bytes, _) = try client.getObject(key: declared.key)
                let actual = Data(SHA256.hash(data: bytes)).base64EncodedString()
                if actual != expected { mismatches.append(.checksum(declared: expected, actual: actual)) }
            } else {
                mismatches.append(.checksumMissing)
            }
        }
        if mismatches.isEmpty, let recordSize = declared.sealedRecordSize {
            let head = try client.getObjectPrefix(key: declared.key, count: SealedFormat.headerSize)
            if SealedHeader(parsing: head)?.recordSize != recordSize { mismatches.append(.notSealed) }
        } else if mismatches.isEmpty, let sniffer, let type = MediaType(declared.contentType) {
            let sample = try client.getObjectPrefix(key: declared.key, count: ContentSniffer.sampleBytes)
            if let detected = sniffer.type(of: sample),
                let conflict = TypeEvidence.conflict(declared: type, detected: detected, sample: sample, objectSize: info.size)
            {
                mismatches.append(.typeMismatch(declared: type.essence, detected: conflict))
            }
        }
        return mismatches.isEmpty ? .verified(info) : .rejected(mismatches)
    }

    static func normalize(_ type: String?) -> String { type.flatMap(MediaType.init)?.essence ?? "" }

    /// Headers that change how a browser treats the bytes; an upload plan signs none of them, so an object stored
    /// with one was sent with more than the plan allowed (a 48 KB share that inflates to 50 MB, a forced filename).
    static let unsignedHeaderNames = ["content-encoding", "content-disposition", "cache-control", "content-language", "expires"]

    /// The one such header a plan signs: browsers add their own `Cache-Control` to a PUT, so the plan pins it.
    public static let signedCacheControl = "no-store"

    static func unsignedHeaders(_ info: ObjectInfo) -> [UploadMismatch] {
        var found: [UploadMismatch] = []
        for field in info.headers {
            let name = field.name.lowercased()
            if name == "cache-control", field.value == signedCacheControl { continue }
            if unsignedHeaderNames.contains(name) || name.hasPrefix("x-amz-meta-") {
                found.append(.unsignedHeader(name: field.name, value: field.value))
            }
        }
        return found
    }
}
