/// Why a signature was refused or could not be made, in SigV4's own terms: a ``Reason`` and a message that
/// says what was wrong and how to fix it. Servers map reasons to their protocol (the embedded store to S3's
/// codes and statuses).
///
/// A failed signature explains itself: ``expectedCanonicalRequest`` and ``expectedStringToSign`` hold
/// what the verifier computed, for error bodies and logs. They never contain a secret.
public struct SigV4Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed.
    public struct Reason: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The signature (of a request, a chunk, a trailer or a policy) is not the one the secret gives.
        public static let signatureMismatch = Reason(rawValue: "signature mismatch")
        /// A presigned URL past its `X-Amz-Expires`.
        public static let expired = Reason(rawValue: "expired")
        /// A presigned URL whose `X-Amz-Date` is in the future.
        public static let notYetValid = Reason(rawValue: "not yet valid")
        /// No SigV4 authentication at all.
        public static let anonymous = Reason(rawValue: "anonymous")
        /// Signature Version 2, which SigV4 verifiers do not take.
        public static let signatureVersion2 = Reason(rawValue: "signature version 2")
        /// An `Authorization` scheme other than `AWS4-HMAC-SHA256`.
        public static let unsupportedScheme = Reason(rawValue: "unsupported scheme")
        /// Query-string authentication (`X-Amz-*`) that is malformed, or presign arguments out of range.
        public static let malformedPresign = Reason(rawValue: "malformed presigned request")
        /// An `Authorization` header that is malformed.
        public static let malformedHeader = Reason(rawValue: "malformed authorization header")
        /// `x-amz-date` missing or malformed.
        public static let badDate = Reason(rawValue: "bad date")
        /// The request time is too far from the verifier's clock.
        public static let clockSkew = Reason(rawValue: "clock skew")
        /// The access key is not known.
        public static let unknownAccessKey = Reason(rawValue: "unknown access key")
        /// The session token is missing or not the credentials' one.
        public static let invalidSecurityToken = Reason(rawValue: "invalid security token")
        /// `x-amz-content-sha256` is missing.
        public static let missingPayloadHash = Reason(rawValue: "missing payload hash")
        /// `x-amz-content-sha256` is not a hash or a known sentinel.
        public static let malformedPayloadHash = Reason(rawValue: "malformed payload hash")
        /// Headers that must be signed (`host`, `x-amz-*`) are not.
        public static let headersNotSigned = Reason(rawValue: "headers not signed")
        /// A POST form lacks a field it needs, or one is malformed.
        public static let malformedForm = Reason(rawValue: "malformed form")
        /// A POST policy document that cannot be read.
        public static let invalidPolicy = Reason(rawValue: "invalid policy")
        /// A POST policy past its expiration.
        public static let policyExpired = Reason(rawValue: "policy expired")
        /// A POST form that breaks a condition of its policy.
        public static let policyViolation = Reason(rawValue: "policy violation")
    }

    public var reason: Reason
    /// What was wrong, and how to fix it.
    public var message: String
    /// The canonical request the verifier expected (signature mismatches only).
    public var expectedCanonicalRequest: String?
    /// The string to sign the verifier expected (signature mismatches only).
    public var expectedStringToSign: String?
    /// Headers present in the request that had to be signed but were not (`host`).
    public var headersNotSigned: [String]

    public init(
        _ reason: Reason, _ message: String, expectedCanonicalRequest: String? = nil, expectedStringToSign: String? = nil,
        headersNotSigned: [String] = []
    ) {
        self.reason = reason
        self.message = message
        self.expectedCanonicalRequest = expectedCanonicalRequest
        self.expectedStringToSign = expectedStringToSign
        self.headersNotSigned = headersNotSigned
    }

    public var description: String { "\(reason.rawValue): \(message)" }

    static func queryParameters(_ message: String) -> SigV4Error { SigV4Error(.malformedPresign, message) }

    static func headerMalformed(_ message: String) -> SigV4Error { SigV4Error(.malformedHeader, message) }

    static let expired = SigV4Error(.expired, "Request has expired")
}
