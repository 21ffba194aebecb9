import Foundation

/// Something that happened to a share or a file request, as webhooks deliver it (the Standard Webhooks payload:
/// `type`, `timestamp`, `data`). An event never carries a secret: no delete token, password, key or `#fragment`.
public struct NoticeEvent: Codable, Sendable, Equatable {
    /// What happened.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case uploadCompleted = "upload.completed"
        case shareCreated = "share.created"
        case shareDownloaded = "share.downloaded"
        case shareDownloadLimitReached = "share.download_limit_reached"
        case shareExpiring = "share.expiring"
        case shareExpired = "share.expired"
        case shareRevoked = "share.revoked"
        case requestSubmitted = "request.submitted"
    }

    /// What changed, as far as it applies to the kind.
    public struct Details: Codable, Sendable, Equatable {
        public var share: String?
        /// The share's link (with no fragment).
        public var url: String?
        public var title: String?
        /// The file downloaded (its name), and which of the share's files (from 1).
        public var file: String?
        public var fileNumber: Int?
        /// Downloads of that file so far, and how many it may have, when limited.
        public var downloads: Int?
        public var maxDownloads: Int?
        /// What a download means here: `link_followed` (the gateway sent the browser to the store; it cannot see
        /// the bytes arrive) or `bytes_sent` (the gateway streamed every byte itself).
        public var receipt: String?
        public var expiresAt: Date?
        public var request: String?
        public var submission: String?
        public var files: Int?
        public var bytes: Int64?

        public init(
            share: String? = nil, url: String? = nil, title: String? = nil, file: String? = nil, fileNumber: Int? = nil, downloads: Int? = nil,
            maxDownloads: Int? = nil, receipt: String? = nil, expiresAt: Date? = nil, request: String? = nil, submission: String? = nil,
            files: Int? = nil, bytes: Int64? = nil
        ) {
            self.share = share
            self.url = url
            self.title = title
            self.file = file
            self.fileNumber = fileNumber
            self.downloads = downloads
            self.maxDownloads = maxDownloads
            self.receipt = receipt
            self.expiresAt = expiresAt
            self.request = request
            self.submission = submission
            self.files = files
            self.bytes = bytes
        }
    }

    /// Unique, and the same wherever the same thing is seen (so two gateways seeing it make one event).
    public var id: String
    public var type: Kind
    public var timestamp: Date
    public var data: Details

    public init(id: String, type: Kind, timestamp: Date, data: Details) {
        self.id = id
        self.type = type
        self.timestamp = timestamp
        self.data = data
    }
}
