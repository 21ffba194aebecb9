import DropgateAPI
import Foundation
import S3Client

/// The terms an owner set on a share after it was made (its expiry, download limit and password), kept beside the
/// record, which is never rewritten: a ``SequencedState`` under `.dropgate/edits/<id>/`, so two owners' devices
/// editing at once both land, one after the other, on any store (create-only writes). Every read of an owned share
/// applies the latest terms; the last changes are kept with who made them and when.
struct ShareEdit: Codable, Sendable, Equatable {
    /// One change, as the owner's history shows it.
    struct Change: Codable, Sendable, Equatable {
        var at: Int64
        var by: String
        /// The fields it changed: `expiry`, `maxDownloads`, `password`.
        var fields: [String]
    }

    var expiresAt: Int64
    var maxDownloads: Int?
    var password: PasswordHash?
    var history: [Change] = []
    /// Each file's downloads counted while the share was unlimited, when the limit was set (see
    /// ``ShareRecord/downloadsBeforeLimit``); absent when there were none.
    var downloadsBeforeLimit: [Int]? = nil
    /// Files the owner added to the collection, in order: the ledger counts them after the record's own.
    var addedFiles: [SharedFile]? = nil
    /// The ledger indices of files the owner removed (see ``SharedFile/ledgerIndex``).
    var removedFiles: [Int]? = nil

    /// How many changes the history keeps.
    static let historyLimit = 20
}

struct ShareEdits: Sendable {
    let client: S3Client

    static let prefix = ".dropgate/edits/"

    func state(_ id: String) -> SequencedState<ShareEdit> { SequencedState(client: client, prefix: Self.prefix + id + "/") }

    func latest(_ id: String) throws -> ShareEdit? { try state(id).latest()?.state }

    /// Deletes every edit of a share (its record is gone).
    func delete(_ id: String) throws {
        while true {
            let page = try client.listObjects(prefix: Self.prefix + id + "/", maxKeys: 1000)
            for object in page.objects { try client.deleteObject(key: object.key) }
            guard page.nextContinuationToken != nil, !page.objects.isEmpty else { return }
        }
    }

    /// `record` under its latest edit, if it has one.
    func applied(to record: ShareRecord) throws -> ShareRecord {
        guard let edit = try latest(record.id) else { return record }
        return edit.applied(to: record)
    }
}

extension ShareEdit {
    /// `record` under these terms.
    func applied(to record: ShareRecord) -> ShareRecord {
        var edited = record
        edited.expiresAt = expiresAt
        edited.maxDownloads = maxDownloads
        edited.password = password
        edited.downloadsBeforeLimit = maxDownloads == nil ? nil : downloadsBeforeLimit
        guard addedFiles != nil || removedFiles != nil else { return edited }
        let removed = Set(removedFiles ?? [])
        edited.files = (record.files + (addedFiles ?? [])).enumerated().compactMap { index, file in
            guard !removed.contains(index) else { return nil }
            var placed = file
            placed.ledgerIndex = index
            return placed
        }
        return edited
    }
}
