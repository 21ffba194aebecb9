/// Every refusal of the API: `{"error":{"code":"…","message":"…"}}`, with the mismatches of a failed upload check.
public struct APIErrorBody: Codable, Sendable, Equatable {
    public var error: APIError

    public init(error: APIError) { self.error = error }
}

/// A refusal: a stable code for programs and a message that names the problem and the fix, for people.
public struct APIError: Codable, Sendable, Equatable {
    public var code: String
    public var message: String
    /// What did not match the declaration (`upload_mismatch` only).
    public var mismatches: [Mismatch]?

    public init(code: String, message: String, mismatches: [Mismatch]? = nil) {
        self.code = code
        self.message = message
        self.mismatches = mismatches
    }
}

/// One way an upload differs from what was declared (`size`, `content_type`, `checksum`, `missing`, …).
public struct Mismatch: Codable, Sendable, Equatable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// `{"status":"ok"}` (`/healthz`) or `{"status":"ready"}` (`/readyz`).
public struct Status: Codable, Sendable, Equatable {
    public var status: String

    public init(status: String) { self.status = status }
}

/// `GET /api/limits`: what a client needs to know before it declares an upload.
public struct UploadLimits: Codable, Sendable, Equatable {
    /// The largest upload, in bytes.
    public var maxBytes: Int64
    /// The accepted media types (`image/*` matches a family).
    public var allowedTypes: [String]
    /// Files up to this size should be hashed and declared with `sha256`, so the gateway can verify them.
    public var hashLimit: Int64
    /// Whether `POST /api/uploads` needs `Authorization: Bearer <token>`.
    public var tokenRequired: Bool
    public var transfer: TransferPolicy
    /// True where the gateway sends mail (links by mail, notices); absent where it sends none.
    public var mail: Bool?

    public init(maxBytes: Int64, allowedTypes: [String], hashLimit: Int64, tokenRequired: Bool, transfer: TransferPolicy, mail: Bool? = nil) {
        self.mail = mail
        self.maxBytes = maxBytes
        self.allowedTypes = allowedTypes
        self.hashLimit = hashLimit
        self.tokenRequired = tokenRequired
        self.transfer = transfer
    }
}

/// `GET /api/usage` with an upload token: what the token keeps stored, against its quota.
public struct TokenUsageReport: Codable, Sendable, Equatable {
    /// Bytes of the token's live shares.
    public var bytes: Int64
    /// The token's live shares.
    public var shares: Int
    /// The bound on `bytes`; nil when there is none.
    public var maxBytes: Int64?
    /// The bound on `shares`; nil when there is none.
    public var maxShares: Int?
    /// Shares made today (UTC).
    public var sharesToday: Int?
    /// The bound on `sharesToday`; nil when there is none.
    public var maxUploadsPerDay: Int?

    public init(bytes: Int64, shares: Int, maxBytes: Int64?, maxShares: Int?, sharesToday: Int? = nil, maxUploadsPerDay: Int? = nil) {
        self.bytes = bytes
        self.shares = shares
        self.maxBytes = maxBytes
        self.maxShares = maxShares
        self.sharesToday = sharesToday
        self.maxUploadsPerDay = maxUploadsPerDay
    }
}
