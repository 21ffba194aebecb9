/// The body of `POST /api/shares`: verified files (their receipts) to share under one link, and the share's terms.
public struct ShareRequest: Codable, Sendable, Equatable {
    /// Receipts from completions with `"collection": true`, in the order the page lists the files.
    public var files: [String]?
    /// Seconds the share lives.
    public var expiresIn: Int64?
    /// Downloads allowed of each file, at least 1.
    public var maxDownloads: Int64?
    /// A password the page asks for before it shows anything.
    public var password: String?

    public init(files: [String]? = nil, expiresIn: Int64? = nil, maxDownloads: Int64? = nil, password: String? = nil) {
        self.files = files
        self.expiresIn = expiresIn
        self.maxDownloads = maxDownloads
        self.password = password
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        files = try container.decodeIfPresent([String].self, forKey: .files)
        expiresIn = try container.decodeWholeNumber(forKey: .expiresIn)
        maxDownloads = try container.decodeWholeNumber(forKey: .maxDownloads)
        password = try container.decodeIfPresent(String.self, forKey: .password)
    }
}
