import Crypto
import DropgateAPI
import EndToEnd
import Foundation
import S3Client
import SigV4
import Synchronization

/// A share: a small JSON record in the bucket under `.dropgate/shares/`, so any number of gateways
/// behind a load balancer see the same shares. It serves one file or a collection of them; expiry, the download
/// limit, the password and revocation apply to the whole share.
public struct ShareRecord: Sendable, Hashable {
    public var id: String
    /// The files, in the order they were given; at least one.
    public var files: [SharedFile]
    /// Seconds since 1970.
    public var createdAt: Int64
    public var expiresAt: Int64
    /// Downloads allowed of each file.
    public var maxDownloads: Int?
    /// Written false; read true when the ``ShareLedger`` holds its revocation (or an older gateway wrote it true).
    public var revoked: Bool
    /// The fingerprint of the upload token that made it, when quotas apply (see ``TokenUsage``).
    public var owner: String? = nil
    /// Set only by older gateways: tombstones are ``ShareLedger`` markers now.
    public var tombstone: Bool? = nil
    /// The slow salted hash of the share's password, when it has one.
    public var password: PasswordHash? = nil
    /// Set for an end-to-end encrypted share: its files are sealed (the first is the manifest), and it is served only
    /// as attachments the page decrypts.
    public var encrypted: Bool? = nil
    /// The share key wrapped with the password, for an encrypted share with a password (the gateway cannot unwrap it).
    public var keyWrap: KeyWrap? = nil
    /// Each file's downloads counted while the share was unlimited, before its owner set the limit it has now (from
    /// ``ShareEdit``; never stored in the record): the limit's slots are what is left after them.
    public var downloadsBeforeLimit: [Int]? = nil
    /// The share's readable link (see ``ShareLinkName``), an alias of its id, when it has one.
    public var link: String? = nil
    /// One read, then gone: every file may be downloaded once (`maxDownloads` 1), and its page fetches nothing until
    /// the visitor asks, so a link preview never burns it.
    public var burnAfterReading: Bool? = nil
    /// Its owner lets the link's card show its first thumbnail (see ``LinkCard``).
    public var cardImage: Bool? = nil

    /// The name in the share's link: its readable one, else its id.
    public var linkName: String { link ?? id }

    /// The most files one share holds.
    public static let maximumFiles = 1_000

    /// Downloads of every file together (saturating: no count can overflow).
    public var downloads: Int {
        files.reduce(0) { total, file in
            let (sum, overflow) = total.addingReportingOverflow(file.downloads)
            return overflow ? Int.max : sum
        }
    }

    /// Bytes of every file together.
    public var size: Int64 { files.reduce(0) { $0 + $1.size } }

    /// The share's name: its file's, or the first file's and how many more.
    public var title: String {
        files.count == 1 ? files[0].filename : "\(files[0].filename) and \(files.count - 1) more file\(files.count == 2 ? "" : "s")"
    }

    /// Every number in range and every key an upload key, so no arithmetic on a record can overflow. A download count
    /// has no upper bound: counts live in the ``ShareLedger`` now, and an older record's count, however large, must
    /// never make a live share unreadable (or its files look orphaned).
    var isWellFormed: Bool {
        (1...Self.maximumFiles).contains(files.count)
            && files.allSatisfy { ObjectKey.isShareableKey($0.key) && (0...(Int64(1) << 50)).contains($0.size) && $0.downloads >= 0 }
            && createdAt <= expiresAt && (maxDownloads ?? 1) >= 1 && Set(files.map(\.key)).count == files.count
            && (keyWrap == nil || (encrypted == true && password != nil)) && (encrypted != true || files.count >= 2)
            && (link.map(ReadableLink.isWellFormed) ?? true)
            && files.allSatisfy { file in file.folder.map { (try? FolderPath.parts($0, of: file.filename).get()) != nil } ?? true }
            && (burnAfterReading != true || maxDownloads == 1)
    }

    /// Why the share can no longer be opened, if it cannot: revoked, expired, or every file downloaded its limit.
    public func unavailability(at now: Date) -> Wording? {
        if revoked { return "This share was revoked by its owner." }
        if Int64(now.timeIntervalSince1970) >= expiresAt { return "This share has expired." }
        if let maxDownloads, files[firstCounted...].allSatisfy({ $0.downloads >= maxDownloads }) { return "This share reached its download limit." }
        return nil
    }

    /// The first file whose downloads count: an encrypted share's manifest (file 1) is read by every visit of its
    /// page, so it never counts against the limit.
    var firstCounted: Int { encrypted == true ? 1 : 0 }

    /// How many of file `index`'s download slots its limit leaves, once the downloads made before the limit was set.
    func slotLimit(ofFile index: Int, limit: Int) -> Int {
        let counted = ledgerIndex(index)
        let before = downloadsBeforeLimit.flatMap { counted < $0.count ? $0[counted] : nil } ?? 0
        return max(0, limit - before)
    }

    /// Where the ``ShareLedger`` counts file `index`'s downloads.
    func ledgerIndex(_ index: Int) -> Int { files[index].ledgerIndex ?? index }

    /// How many files the ``ShareLedger`` counts for this share: the record's and every one its owner added since.
    var ledgerFiles: Int { (files.indices.map(ledgerIndex).max() ?? -1) + 1 }

    /// Why file `index` can no longer be downloaded, if it cannot.
    public func unavailability(ofFile index: Int, at now: Date) -> Wording? {
        if let reason = unavailability(at: now) { return reason }
        if let maxDownloads, index >= firstCounted, files[index].downloads >= maxDownloads {
            return "\(files[index].filename, as: "filename") reached its download limit."
        }
        return nil
    }
}

/// One file of a share: the verified object and what was verified of it.
public struct SharedFile: Codable, Sendable, Hashable {
    public var key: String
    public var filename: String
    public var size: Int64
    public var contentType: String
    /// Its counted downloads: written 0 (an older gateway wrote its count here); read as the ``ShareLedger`` counts.
    public var downloads: Int
    /// Where the ``ShareLedger`` counts its downloads, when that is not its place in the list (a collection its owner
    /// changed: files added after the record's, others removed); never stored.
    var ledgerIndex: Int? = nil
    /// The folder it sits in within the collection (``FolderPath``), when not at the top level.
    public var folder: String? = nil
    /// The type of its checked thumbnail (`image/webp`, `image/jpeg`, or `application/octet-stream` sealed), kept at
    /// ``ObjectKey/thumbnail(of:)``; nil when it has none.
    public var thumbnail: String? = nil

    enum CodingKeys: String, CodingKey {
        case key, filename, size, contentType, downloads, folder, thumbnail
    }

    public init(key: String, filename: String, size: Int64, contentType: String, downloads: Int = 0) {
        self.key = key
        self.filename = filename
        self.size = size
        self.contentType = contentType
        self.downloads = downloads
    }
}
