/// How a canonical request is built: S3's rules or the generic AWS ones.
///
/// The defaults are S3's: the path is URI-encoded once and never normalized.
public struct SigningOptions: Sendable, Hashable {
    /// How the wire path becomes the canonical URI.
    public enum PathEncoding: Sendable, Hashable {
        /// S3: the decoded path is encoded exactly once (`/test$file` -> `/test%24file`).
        case single
        /// Every other service: the wire path is encoded again (`/a%20b` -> `/a%2520b`).
        case double
    }

    public var pathEncoding: PathEncoding
    /// Remove `.` and `..` segments and merge duplicate `/` before encoding (never for S3).
    public var normalizesPath: Bool

    public init(pathEncoding: PathEncoding = .single, normalizesPath: Bool = false) {
        self.pathEncoding = pathEncoding
        self.normalizesPath = normalizesPath
    }

    /// S3: single encoding, no normalization.
    public static let s3 = SigningOptions()
    /// The generic AWS rules: double encoding, normalized paths.
    public static let generic = SigningOptions(pathEncoding: .double, normalizesPath: true)
}

/// What the last line of the canonical request says about the body.
public enum Payload: Sendable, Hashable {
    /// `UNSIGNED-PAYLOAD`: presigned URLs, and bodies the signer does not hash.
    case unsigned
    /// The lowercase hex SHA-256 of the body.
    case sha256Hex(String)
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`: an aws-chunked body with a signature per chunk.
    case streamingSigned
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`: signed chunks and a signed trailer.
    case streamingSignedWithTrailer
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`: unsigned chunks with a trailing checksum.
    case streamingUnsignedWithTrailer

    /// The SHA-256 of the empty string, the payload hash of bodiless requests.
    public static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The value as it appears in the canonical request and `x-amz-content-sha256`.
    public var value: String {
        switch self {
        case .unsigned: "UNSIGNED-PAYLOAD"
        case .sha256Hex(let hex): hex
        case .streamingSigned: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
        case .streamingSignedWithTrailer: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
        case .streamingUnsignedWithTrailer: "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
        }
    }

    /// Reads an `x-amz-content-sha256` value; `nil` when it is none of the accepted forms.
    public init?(headerValue: some StringProtocol) {
        switch headerValue {
        case "UNSIGNED-PAYLOAD": self = .unsigned
        case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD": self = .streamingSigned
        case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER": self = .streamingSignedWithTrailer
        case "STREAMING-UNSIGNED-PAYLOAD-TRAILER": self = .streamingUnsignedWithTrailer
        default:
            guard headerValue.utf8.count == 64, headerValue.utf8.allSatisfy(Hex.isLowercaseHexDigit) else { return nil }
            self = .sha256Hex(String(headerValue))
        }
    }
}
