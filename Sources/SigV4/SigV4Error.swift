/// Why a signature was refused or could not be made, with the S3 error code and HTTP status it maps to.
///
/// A failed signature explains itself: ``expectedCanonicalRequest`` and ``expectedStringToSign`` hold
/// what the verifier computed, for error bodies and logs. They never contain a secret.
public struct SigV4Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// An S3 error code.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let signatureDoesNotMatch = Code(rawValue: "SignatureDoesNotMatch")
        public static let accessDenied = Code(rawValue: "AccessDenied")
        public static let requestTimeTooSkewed = Code(rawValue: "RequestTimeTooSkewed")
        public static let authorizationQueryParametersError = Code(rawValue: "AuthorizationQueryParametersError")
        public static let authorizationHeaderMalformed = Code(rawValue: "AuthorizationHeaderMalformed")
        public static let invalidAccessKeyId = Code(rawValue: "InvalidAccessKeyId")
        public static let invalidArgument = Code(rawValue: "InvalidArgument")
        public static let invalidRequest = Code(rawValue: "InvalidRequest")
        public static let missingSecurityHeader = Code(rawValue: "MissingSecurityHeader")
        public static let invalidPolicyDocument = Code(rawValue: "InvalidPolicyDocument")
        public static let entityTooLarge = Code(rawValue: "EntityTooLarge")
        public static let entityTooSmall = Code(rawValue: "EntityTooSmall")
        public static let xAmzContentSHA256Mismatch = Code(rawValue: "XAmzContentSHA256Mismatch")
        public static let incompleteBody = Code(rawValue: "IncompleteBody")
    }

    public var code: Code
    /// What was wrong, and how to fix it.
    public var message: String
    /// The HTTP status S3 answers with.
    public var httpStatus: Int
    /// The canonical request the verifier expected (signature mismatches only).
    public var expectedCanonicalRequest: String?
    /// The string to sign the verifier expected (signature mismatches only).
    public var expectedStringToSign: String?
    /// Headers present in the request that had to be signed but were not (`host`).
    public var headersNotSigned: [String]

    public init(
        _ code: Code, _ message: String, httpStatus: Int = 403, expectedCanonicalRequest: String? = nil,
        expectedStringToSign: String? = nil, headersNotSigned: [String] = []
    ) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.expectedCanonicalRequest = expectedCanonicalRequest
        self.expectedStringToSign = expectedStringToSign
        self.headersNotSigned = headersNotSigned
    }

    public var description: String { "\(code.rawValue): \(message)" }

    static func queryParameters(_ message: String) -> SigV4Error {
        SigV4Error(.authorizationQueryParametersError, message, httpStatus: 400)
    }

    static func headerMalformed(_ message: String) -> SigV4Error {
        SigV4Error(.authorizationHeaderMalformed, message, httpStatus: 400)
    }

    static let expired = SigV4Error(.accessDenied, "Request has expired")
}
