import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire

/// Files an owner adds to a share or takes out of it, as one ``ShareEdit`` change.
struct CollectionChange {
    /// The verified uploads to add, each already indexed to the share.
    var add: [SharedFile] = []
    /// The ledger indices of the files to remove.
    var remove: [Int] = []
    /// The share's files as its record holds them (before any edit).
    var original: [SharedFile]

    var bytesAdded: Int64 { add.reduce(0) { $0 + $1.size } }

    /// What applying the change did: the bytes it really added and took out (a retried change adds nothing twice,
    /// and a file taken out twice counts once), or why it could not be applied.
    enum Outcome {
        case applied(bytesAdded: Int64, bytesRemoved: Int64)
        case refused(Wording)
    }

    /// `edit` with these files added and removed.
    func apply(to edit: inout ShareEdit) -> Outcome {
        var added = edit.addedFiles ?? []
        var removed = Set(edit.removedFiles ?? [])
        var bytesAdded: Int64 = 0
        for file in add where !(original + added).contains(where: { $0.key == file.key }) {
            added.append(file)
            bytesAdded += file.size
        }
        let all = original + added
        let newlyRemoved = Set(remove).subtracting(removed).filter { $0 < all.count }
        removed.formUnion(remove)
        let total = all.count
        guard total <= ShareRecord.maximumFiles else {
            return .refused("A share holds at most \(ShareRecord.maximumFiles, as: "most") files, removed ones included.")
        }
        guard total - removed.count >= 1 else { return .refused("A share keeps at least one file: revoke it instead.") }
        edit.addedFiles = added.isEmpty ? nil : added
        edit.removedFiles = removed.isEmpty ? nil : removed.sorted()
        return .applied(bytesAdded: bytesAdded, bytesRemoved: newlyRemoved.reduce(0) { $0 + all[$1].size })
    }
}

extension AccountService {
    /// The files `input` adds and removes, checked: receipts of the owner's verified uploads (indexed to the share
    /// here, so no other share can take them), and file numbers the share has. Nil when it touches no files.
    func collectionChange(_ input: ShareEditRequest, record: ShareRecord, owner: String) throws -> CollectionChange? {
        guard input.addFiles != nil || input.removeFiles != nil else { return nil }
        guard record.encrypted != true else {
            throw GatewayError.badRequest(
                .encryptionMismatch, "An encrypted share's files are listed in its sealed manifest: make a new share to change them.")
        }
        guard case .record(let stored) = try sharing.shares.stored(record.id) else {
            throw GatewayError(404, .unknownShare, "There is no share \(record.id, as: "id").")
        }
        var change = CollectionChange(original: stored.files)
        let numbers = input.removeFiles ?? []
        guard numbers.allSatisfy({ (1...record.files.count).contains($0) }), Set(numbers).count == numbers.count else {
            throw GatewayError.badRequest(.badRequest, "removeFiles lists file numbers from 1 to \(record.files.count, as: "count"), each once.")
        }
        change.remove = numbers.map { record.ledgerIndex($0 - 1) }
        let receipts = input.addFiles ?? []
        guard record.files.count + receipts.count > numbers.count else {
            throw GatewayError.badRequest(.badRequest, "A share keeps at least one file: revoke it instead.")
        }
        guard receipts.count <= ShareRecord.maximumFiles else {
            throw GatewayError.badRequest(
                .tooManyFiles, "A share holds at most \(ShareRecord.maximumFiles, as: "most") files; addFiles lists \(receipts.count, as: "count").")
        }
        for verified in try sharing.verifiedFiles(receipts, owner: owner) {
            guard verified.sealed != true else {
                throw GatewayError.badRequest(
                    .encryptionMismatch, "\(verified.file.filename, as: "filename") is encrypted: it goes only in an encrypted share.")
            }
            if let other = try sharing.shares.saveIndex(uploadKey: verified.uploadKey, shareID: record.id), other != record.id {
                throw GatewayError(
                    409, .alreadyShared,
                    "\(verified.file.filename, as: "filename") is already shared at another link; upload it again to add it here.")
            }
            change.add.append(verified.file)
        }
        return change
    }

    /// After a change of files: once it `landed` (with what it really added and took out), the removed files' objects
    /// and index entries are deleted; either way the owner's usage gives back what was reserved and not used, and
    /// uploads the change did not add are free for another share.
    func settleFiles(_ change: CollectionChange, of id: String, owner: String, reserved: Bool, landed: CollectionChange.Outcome?) throws {
        var delta = reserved ? -change.bytesAdded : 0
        if case .applied(let added, let removed) = landed { delta += added - removed }
        try sharing.access.quota.adjust(owner, share: id, by: delta)
        guard case .applied = landed else {
            try freeUnadded(change, of: id)
            return
        }
        if !change.remove.isEmpty, let edit = try sharing.shares.edits.latest(id) {
            let all = change.original + (edit.addedFiles ?? [])
            for index in change.remove where index < all.count {
                let key = all[index].key
                for object in Set([key, ObjectKey.staging(of: key)]) { try sharing.client.deleteObject(key: object) }
                try sharing.client.deleteObject(key: ShareStore.indexKey(forUploadKey: ObjectKey.staging(of: key)))
            }
        }
        try freeUnadded(change, of: id)
    }

    /// Deletes the index entries of uploads the change meant to add and the share does not hold, so another share may
    /// take them.
    func freeUnadded(_ change: CollectionChange, of id: String) throws {
        if !change.add.isEmpty, let record = try sharing.shares.load(id, counting: false) {
            for file in change.add where !record.files.contains(where: { $0.key == file.key }) {
                try sharing.client.deleteObject(key: ShareStore.indexKey(forUploadKey: ObjectKey.staging(of: file.key)))
            }
        }
    }
}
