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
    /// The files are end-to-end encrypted: the first is the sealed manifest (`docs/encryption.md`).
    public var encrypted: Bool?
    /// With `encrypted` and a password: the share key wrapped with it (`salt`, `iterations`, `nonce`, `wrapped`).
    public var keyWrap: WrappedKey?
    /// A custom link for the share, `/s/{link}`: 3 to 64 letters, digits and single hyphens; 409 `link_taken` when
    /// another share has it.
    public var link: String?
    /// True for a readable link of random words (12, or 6 with a password; see the README), besides the random id.
    public var wordLink: Bool?
    /// One read, then the link answers 410: each file may be downloaded once, and the page fetches nothing by itself.
    public var burnAfterReading: Bool?
    /// The folder of each file, in the order of `files` (`""` for the top level), as ``FolderPath`` checks it. An
    /// encrypted share keeps its folders in its sealed manifest instead.
    public var folders: [String]?
    /// True to show the first thumbnail in the link's card (OpenGraph and Twitter `image`); never for a share with a
    /// password or encrypted, whose card shows nothing of it.
    public var cardImage: Bool?

    public init(
        files: [String]? = nil, expiresIn: Int64? = nil, maxDownloads: Int64? = nil, password: String? = nil, encrypted: Bool? = nil,
        keyWrap: WrappedKey? = nil, link: String? = nil, wordLink: Bool? = nil, burnAfterReading: Bool? = nil, folders: [String]? = nil,
        cardImage: Bool? = nil
    ) {
        self.cardImage = cardImage
        self.folders = folders
        self.link = link
        self.wordLink = wordLink
        self.burnAfterReading = burnAfterReading
        self.encrypted = encrypted
        self.keyWrap = keyWrap
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
        encrypted = try container.decodeIfPresent(Bool.self, forKey: .encrypted)
        keyWrap = try container.decodeIfPresent(WrappedKey.self, forKey: .keyWrap)
        link = try container.decodeIfPresent(String.self, forKey: .link)
        wordLink = try container.decodeIfPresent(Bool.self, forKey: .wordLink)
        burnAfterReading = try container.decodeIfPresent(Bool.self, forKey: .burnAfterReading)
        folders = try container.decodeIfPresent([String].self, forKey: .folders)
        cardImage = try container.decodeIfPresent(Bool.self, forKey: .cardImage)
    }
}

/// A share key wrapped with a password (`docs/encryption.md`, "With a password"), all base64url.
public struct WrappedKey: Codable, Sendable, Hashable {
    public var salt: String
    public var iterations: Int
    public var nonce: String
    public var wrapped: String

    public init(salt: String, iterations: Int, nonce: String, wrapped: String) {
        self.salt = salt
        self.iterations = iterations
        self.nonce = nonce
        self.wrapped = wrapped
    }
}
