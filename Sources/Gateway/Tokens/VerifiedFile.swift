import EndToEnd
import Foundation

/// A verified file waiting to be shared, sealed into the receipt a completion with `"collection": true` answers.
struct VerifiedFile: Codable, Sendable, Hashable {
    static let purpose = "verified"

    /// The key the upload was declared at (the share's index entry is made for it).
    var uploadKey: String
    /// The published object and what was verified of it.
    var file: SharedFile
    /// The quota fingerprint of the upload token that declared it.
    var owner: String?
    /// Seconds since 1970: the upload id's expiry; after it the sweeper may delete the object.
    var expiresAt: Int64
    /// An end-to-end encrypted upload (its sealed header was checked).
    var sealed: Bool? = nil

    var isWellFormed: Bool {
        ObjectKey.isUploadKey(uploadKey) && ObjectKey.isShareableKey(file.key) && ObjectKey.staging(of: file.key) == uploadKey
            && (0...(Int64(1) << 50)).contains(file.size) && file.downloads == 0 && !file.filename.isEmpty
    }
}
