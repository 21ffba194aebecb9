import Crypto
import DropgateAPI
import Foundation
import S3Client
import SigV4

/// Reads and creates share records through the S3 client; a record is written once, and the ``ShareLedger`` keeps
/// what happens to its share afterwards.
struct ShareStore: Sendable {
    let client: S3Client
    /// Revocations, tombstones and download counts.
    let ledger: ShareLedger
    /// Terms an owner changed after the share was made.
    let edits: ShareEdits

    static func key(_ id: String) -> String { ObjectKey.sharePrefix + id + ".json" }

    /// Where the share id of an upload key is kept: found from the key alone, whatever `gateway.secret` was when the
    /// share was made, so a changed secret (or another deployment on the bucket) never makes a live share look orphaned.
    static func indexKey(forUploadKey uploadKey: String) -> String {
        ObjectKey.keyIndexPrefix + Hex.string(Array(SHA256.hash(data: Array(uploadKey.utf8)))) + ".json"
    }

    /// Records that `uploadKey`'s share is `id`; written before the share record, so a share never exists unindexed.
    ///
    /// - Returns: nil when written now; when an entry was there already, the share it names (this one, for an earlier
    ///   attempt of the same completion, or another share, which then serves the file).
    func saveIndex(uploadKey: String, shareID id: String) throws -> String? {
        let body = Array(try APIJSON.encoder.encode(KeyIndex(share: id)))
        guard try !client.create(key: Self.indexKey(forUploadKey: uploadKey), body: body) else { return nil }
        return try indexedShareID(uploadKey: uploadKey) ?? id
    }

    /// The share id recorded for `uploadKey`, if any.
    func indexedShareID(uploadKey: String) throws -> String? {
        do {
            let bytes = try client.getObject(key: Self.indexKey(forUploadKey: uploadKey)).bytes
            return (try? APIJSON.decoder.decode(KeyIndex.self, from: Data(bytes)))?.share
        } catch let error as S3ClientError where error.status == 404 {
            return nil
        }
    }

    /// The body of an index entry.
    struct KeyIndex: Codable {
        var share: String
    }

    /// Whether `id` has the shape of a share id (22 base64url characters); anything else is never looked up.
    static func isValidID(_ id: String) -> Bool {
        id.utf8.count == 22
            && id.utf8.allSatisfy {
                (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D || $0 == 0x5F
            }
    }

    /// Whether a share may be looked up by `name`: a random id, or a readable link (any case).
    static func isShareName(_ name: String) -> Bool { isValidID(name) || ReadableLink.isWellFormed(name.lowercased()) }

    /// What a record key holds.
    enum Stored {
        case missing
        /// There, but no gateway wrote it (or a newer one did): it serves nothing, and its files are never orphans.
        case malformed
        case record(ShareRecord)
    }

    /// The record as written, without what the ledger says since. `id` may be a readable link (``ShareLinkName``):
    /// its share's record is read then.
    func stored(_ id: String) throws -> Stored {
        guard Self.isValidID(id) else { return try linkedID(id).map(stored) ?? .missing }
        do {
            let bytes = try client.getObject(key: Self.key(id)).bytes
            guard let record = try? APIJSON.decoder.decode(ShareRecord.self, from: Data(bytes)), record.isWellFormed, record.id == id else {
                return .malformed
            }
            return .record(record)
        } catch let error as S3ClientError where error.status == 404 {
            // A custom link may have the shape of an id: then it is looked up as a link once no record has the id.
            guard ReadableLink.isWellFormed(id), let linked = try linkedID(id), linked != id else { return .missing }
            return try stored(linked)
        }
    }

    /// The share id a readable link names, if any (lowercased first: links are kept lowercase).
    func linkedID(_ name: String) throws -> String? {
        let name = name.lowercased()
        guard ReadableLink.isWellFormed(name) else { return nil }
        do {
            let bytes = try client.getObject(key: ShareLinkName.key(name)).bytes
            return (try? APIJSON.decoder.decode(KeyIndex.self, from: Data(bytes))).map(\.share).flatMap { Self.isValidID($0) ? $0 : nil }
        } catch let error as S3ClientError where error.status == 404 {
            return nil
        }
    }

    /// Gives the readable link `name` to share `id`, create-only: false when another share has it (a retry of the same
    /// share finds its own name, and succeeds).
    func claimLink(_ name: String, for id: String) throws -> Bool {
        let body = Array(try APIJSON.encoder.encode(KeyIndex(share: id)))
        if try client.create(key: ShareLinkName.key(name), body: body) { return true }
        return try linkedID(name) == id
    }

    /// The share as it stands: its record, revoked when the ledger says so, and with `counting` a limited share's
    /// download counts (so that a used-up share reads as one). Nil when there is none, or its record is malformed.
    func load(_ id: String, counting: Bool = true) throws -> ShareRecord? {
        guard case .record(var record) = try stored(id) else { return nil }
        // Only an owned share can have been edited: an anonymous one costs no read of edits.
        if record.owner != nil { record = try edits.applied(to: record) }
        if try ledger.isRevoked(record.id) { record.revoked = true }
        return counting && record.maxDownloads != nil ? try counted(record) : record
    }

    /// `record` with every file's downloads as the ledger counts them (an older record's own count when larger).
    func counted(_ record: ShareRecord) throws -> ShareRecord {
        var record = record
        let counts = try ledger.downloads(record.id, files: record.ledgerFiles)
        for index in record.files.indices {
            record.files[index].downloads = max(record.files[index].downloads, counts[record.ledgerIndex(index)])
        }
        return record
    }

    /// Writes a new record; a record is never rewritten: false when the id is taken. What happens to the share later
    /// goes to the ``ShareLedger``.
    func create(_ record: ShareRecord) throws -> Bool {
        try client.create(key: Self.key(record.id), body: Array(try APIJSON.encoder.encode(record)))
    }
}
