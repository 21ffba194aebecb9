import Foundation
import S3Client
import Synchronization

/// One pass of the lifecycle: deletes what uploads left behind and what dead shares kept, bounded in time and keys.
///
/// - **Orphans**: objects under `uploads/` and `shared/` that no share serves, older than the upload URLs' expiry
///   plus `lifecycle.orphanGrace`. By then the upload id has expired too, so nothing can complete them any more.
/// - **Abandoned multipart uploads** under `uploads/`, begun longer ago than the same age: aborted.
/// - **Dead shares** (expired, revoked, used up) keep their objects for `lifecycle.shareGrace`; then the objects are
///   deleted and the record becomes a tombstone, which answers 410 for `lifecycle.tombstoneRetention` and is then
///   deleted, after which the link answers 404.
///
/// Only the holder of the ``LifecycleLease`` sweeps, so with many gateways on one bucket each thing is deleted once.
/// A live share is never touched: a share that is dead stays dead (its expiry is fixed, revocation and used-up
/// downloads are final), and an object is an orphan only when no share record points to it.
struct LifecycleSweeper: Sendable {
    /// What one pass did.
    struct Report: Sendable, Equatable {
        var orphans = 0
        var multipartUploads = 0
        var shareObjects = 0
        var tombstones = 0
        /// Whether this gateway held the lease (else it did nothing).
        var swept = false
        /// Whether the pass stopped at its budget before it reached the end of every listing.
        var unfinished = false
    }

    /// What a deletion removed, as `dropgate_lifecycle_deleted_total{kind}` names it.
    enum Kind: String {
        case orphan
        case multipart
        case shareObjects = "share_objects"
        case tombstone
    }

    /// Counts one deletion in the pass's report and in the metrics at once, so a pass that fails half-way still
    /// counts what it deleted.
    func count(_ kind: Kind, in report: inout Report) {
        switch kind {
        case .orphan: report.orphans += 1
        case .multipart: report.multipartUploads += 1
        case .shareObjects: report.shareObjects += 1
        case .tombstone: report.tombstones += 1
        }
        sharing.metrics.lifecycleDeleted(kind.rawValue)
    }

    /// Where each listing stopped, so the next pass carries on instead of starting over.
    final class Cursors: Sendable {
        let state = Mutex([String: String]())
        func get(_ name: String) -> String? { state.withLock { $0[name] } }
        func set(_ name: String, _ token: String?) { state.withLock { $0[name] = token } }
    }

    let sharing: ShareService
    let lease: LifecycleLease
    let cursors = Cursors()

    var lifecycle: GatewaySettings.Lifecycle { sharing.settings.lifecycle }

    /// The age past which an upload's leftovers are orphans: its URLs' lifetime plus the grace.
    var orphanAge: TimeInterval {
        TimeInterval(max(sharing.settings.uploads.presignExpiry, sharing.settings.uploads.resumeWindow) + lifecycle.orphanGrace)
    }

    /// Sweeps once, if this gateway holds (or can take) the lease.
    func sweep() throws -> Report {
        var report = Report()
        guard try lease.acquire(for: max(60, 3 * lifecycle.passBudget)) else { return report }
        report.swept = true
        let deadline = ContinuousClock.now + .seconds(lifecycle.passBudget)
        let now = sharing.now()
        for prefix in ["uploads/", "shared/", "thumbs/"] {
            report.unfinished =
                try page(prefix, until: deadline) { object in
                    guard let written = object.lastModified, now.timeIntervalSince(written) > orphanAge, try isOrphan(object.key) else { return }
                    try sharing.client.deleteObject(key: object.key)
                    count(.orphan, in: &report)
                    sharing.logger.info("lifecycle: deleted orphan \(object.key)")
                } || report.unfinished
        }
        report.unfinished = try abandonedUploads(until: deadline, now: now, report: &report) || report.unfinished
        report.unfinished =
            try page(ObjectKey.sharePrefix, until: deadline) { object in
                try sweepShare(object, now: now, report: &report)
            } || report.unfinished
        report.unfinished =
            try page(ShareLedger.tombstonePrefix, until: deadline) { object in
                try sweepTombstone(object, now: now, until: deadline, report: &report)
            } || report.unfinished
        report.unfinished =
            try page(DownloadLog.root, until: deadline) { object in
                // Downloads past `shares.logRetention`; a day's visitor key once the day is over, so no mark can be undone.
                guard let written = object.lastModified else { return }
                let isKey = object.key.hasPrefix(DownloadLog.keysPrefix)
                guard now.timeIntervalSince(written) > (isKey ? 2 * 86_400 : TimeInterval(sharing.settings.shares.logRetention)) else { return }
                try sharing.client.deleteObject(key: object.key)
            } || report.unfinished
        return report
    }

    /// Whether no share serves `key`: its upload has no share record, or the record serves another key (the published
    /// copy) or is a tombstone. The record is looked up by the id this gateway's secret derives (one GET, the usual
    /// case), and when that misses, through the key index, which finds shares made under another secret; both must miss.
    func isOrphan(_ key: String) throws -> Bool {
        // A thumbnail goes with its file: kept while a share serves the upload (or its published copy); one still
        // staged past the orphan age belongs to an upload that can no longer complete.
        if let uploadKey = ObjectKey.uploadKey(ofThumbnail: key) {
            return try key.hasPrefix("thumbs/staging/") || (isOrphan(uploadKey) && isOrphan(ObjectKey.published(uploadKey)))
        }
        let uploadKey = ObjectKey.staging(of: key)
        guard ObjectKey.isUploadKey(uploadKey) else { return false }  // not the gateway's: never touched
        let derived = sharing.shareID(forUploadKeys: [uploadKey])
        // A share's files as its owner left them: the ones added since count, the ones removed do not.
        let serves = { (id: String, record: ShareRecord) in
            let files = record.owner == nil ? record.files : try sharing.shares.edits.applied(to: record).files
            return try record.tombstone != true && files.contains { $0.key == key } && !sharing.shares.ledger.isTombstone(id)
        }
        switch try sharing.shares.stored(derived) {
        case .record(let record): return try !serves(derived, record)
        case .malformed: return false  // a record no gateway can read may still be a live share's: never delete its files
        case .missing: break
        }
        guard let indexed = try sharing.shares.indexedShareID(uploadKey: uploadKey), indexed != derived else { return true }
        // Handed to a file request: kept while the request is.
        if let request = FileRequests.requestID(named: indexed) { return try FileRequests(client: sharing.client).load(request) == nil }
        switch try sharing.shares.stored(indexed) {
        case .record(let record): return try !serves(indexed, record)
        case .malformed: return false
        case .missing: return true
        }
    }

    /// Aborts multipart uploads begun longer ago than ``orphanAge``; true when the budget ran out first.
    func abandonedUploads(until deadline: ContinuousClock.Instant, now: Date, report: inout Report) throws -> Bool {
        var marker: (String, String)? = nil
        repeat {
            guard ContinuousClock.now < deadline else { return true }
            let page = try sharing.client.listMultipartUploads(
                prefix: "uploads/", maxUploads: lifecycle.pageSize, keyMarker: marker?.0, uploadIDMarker: marker?.1)
            for upload in page.uploads {
                guard let begun = upload.initiated, now.timeIntervalSince(begun) > orphanAge else { continue }
                do {
                    try sharing.client.abortMultipartUpload(key: upload.key, uploadID: upload.uploadID)
                    count(.multipart, in: &report)
                    sharing.logger.info("lifecycle: aborted multipart upload of \(upload.key)")
                } catch let error as S3ClientError where error.status == 404 {
                    continue  // completed or aborted meanwhile
                }
            }
            marker = page.next.map { ($0.keyMarker, $0.uploadIDMarker) }
        } while marker != nil
        return false
    }

    /// A share record: a dead share past its grace loses its objects and gets a tombstone. Its record, written once,
    /// is never rewritten: the tombstone is a marker of its own (see ``ShareLedger``).
    func sweepShare(_ object: ListedObject, now: Date, report: inout Report) throws {
        guard object.key.hasSuffix(".json") else { return }
        let id = String(object.key.dropFirst(ObjectKey.sharePrefix.count).dropLast(".json".count))
        let ledger = sharing.shares.ledger
        guard let record = try sharing.shares.load(id), let written = object.lastModified else { return }
        if try ledger.isTombstone(id) { return }
        if record.tombstone == true {  // tombstoned by an earlier version, in the record itself
            try ledger.markTombstone(id)
            return
        }
        publishExpiry(record, now: now)
        guard record.unavailability(at: now) != nil else { return }  // live: never touched
        guard try Int64(now.timeIntervalSince1970) - deadSince(record, written: written) >= Int64(lifecycle.shareGrace) else { return }
        try sharing.deleteObjects(of: record)
        count(.shareObjects, in: &report)
        sharing.logger.info("lifecycle: deleted the objects of dead share \(record.id)")
        try sharing.access.releaseQuota(of: record)
        try ledger.markTombstone(id)
        if lifecycle.tombstoneRetention == 0 { _ = try purge(id, until: .now + .seconds(lifecycle.passBudget), report: &report) }
    }

    /// `share.expiring` once a live share has a day or less left, and `share.expired` once it has expired (not when it
    /// was revoked or used up first). Each pass may see it again; the event's id makes it one event.
    func publishExpiry(_ record: ShareRecord, now: Date) {
        let time = Int64(now.timeIntervalSince1970)
        guard !record.revoked else { return }  // loaded with its revocation marker: no further read
        if record.expiresAt <= time, time - record.expiresAt < Int64(lifecycle.shareGrace) + 86_400 {
            sharing.notices.publish(.shareExpired, subject: record.id, owner: record.owner, share: record.id, data: sharing.eventDetails(record))
        } else if record.expiresAt > time, record.expiresAt - time <= 86_400, record.unavailability(at: now) == nil {
            sharing.notices.publish(.shareExpiring, subject: record.id, owner: record.owner, share: record.id, data: sharing.eventDetails(record))
        }
    }

    /// When a dead share died: at its revocation or at the download that used it up, when that came before it expired.
    func deadSince(_ record: ShareRecord, written: Date) throws -> Int64 {
        let ledger = sharing.shares.ledger
        if record.revoked {
            let revokedAt = try ledger.mark(ShareLedger.revokedKey(record.id)) ?? Int64(written.timeIntervalSince1970)  // an older record's flag
            return min(record.expiresAt, revokedAt)
        }
        if let limit = record.maxDownloads, record.files[record.firstCounted...].allSatisfy({ $0.downloads >= limit }) {
            var last = Int64(written.timeIntervalSince1970)
            for index in record.files.indices.dropFirst(record.firstCounted) {
                let slot = record.slotLimit(ofFile: index, limit: limit)
                last = max(last, try ledger.mark(ShareLedger.slotKey(record.id, file: record.ledgerIndex(index), slot: slot)) ?? last)
            }
            return min(record.expiresAt, last)
        }
        return record.expiresAt
    }

    /// Tombstones past their retention: the record and everything kept of its share go, the tombstone last, so a pass
    /// cut short finishes in the next one. The link then answers 404.
    func sweepTombstone(_ object: ListedObject, now: Date, until deadline: ContinuousClock.Instant, report: inout Report) throws {
        guard let written = object.lastModified, now.timeIntervalSince(written) >= TimeInterval(lifecycle.tombstoneRetention) else { return }
        let id = String(object.key.dropFirst(ShareLedger.tombstonePrefix.count))
        guard ShareStore.isValidID(id) else { return }
        _ = try purge(id, until: deadline, report: &report)
    }

    /// Deletes a tombstoned share's record, index entries, download counts and revocation, then the tombstone; false
    /// when `deadline` came first.
    func purge(_ id: String, until deadline: ContinuousClock.Instant, report: inout Report) throws -> Bool {
        if case .record(let stored) = try sharing.shares.stored(id) {
            // With every file its owner added (those removed lost their index entries then).
            // The share is dead already, so its index entries go first: a pass cut short finds them again.
            let record = stored.owner == nil ? stored : try sharing.shares.edits.applied(to: stored)
            for file in record.files { try sharing.client.deleteObject(key: ShareStore.indexKey(forUploadKey: ObjectKey.staging(of: file.key))) }
            // Its readable link is free again once the share is gone for good (and only if it is still this share's).
            if let link = record.link, try sharing.shares.linkedID(link) == id { try sharing.client.deleteObject(key: ShareLinkName.key(link)) }
        }
        try sharing.client.deleteObject(key: ShareStore.key(id))  // from here on the link answers 404
        try sharing.shares.edits.delete(id)
        try sharing.client.deleteObject(key: NoticePreferences.shareKey(id))
        guard try sharing.shares.ledger.deleteDownloads(id, until: deadline) else { return false }
        try sharing.client.deleteObject(key: ShareLedger.revokedKey(id))
        try sharing.client.deleteObject(key: ShareLedger.tombstoneKey(id))
        count(.tombstone, in: &report)
        return true
    }

    /// Walks a listing from where the last pass stopped, one page at a time; true when the budget ran out first.
    func page(_ prefix: String, until deadline: ContinuousClock.Instant, _ visit: (ListedObject) throws -> Void) throws -> Bool {
        var token = cursors.get(prefix)
        repeat {
            guard ContinuousClock.now < deadline else {
                cursors.set(prefix, token)
                return true
            }
            let page = try sharing.client.listObjects(prefix: prefix, maxKeys: lifecycle.pageSize, continuationToken: token)
            for object in page.objects { try visit(object) }
            token = page.nextContinuationToken
        } while token != nil
        cursors.set(prefix, nil)
        return false
    }
}
