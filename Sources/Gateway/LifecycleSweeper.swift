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
        core.metrics.lifecycleDeleted(kind.rawValue)
    }

    /// Where each listing stopped, so the next pass carries on instead of starting over.
    final class Cursors: Sendable {
        let state = Mutex([String: String]())
        func get(_ name: String) -> String? { state.withLock { $0[name] } }
        func set(_ name: String, _ token: String?) { state.withLock { $0[name] = token } }
    }

    let core: GatewayCore
    let lease: LifecycleLease
    let cursors = Cursors()

    var lifecycle: GatewaySettings.Lifecycle { core.settings.lifecycle }

    /// The age past which an upload's leftovers are orphans: its URLs' lifetime plus the grace.
    var orphanAge: TimeInterval { TimeInterval(max(core.settings.uploads.presignExpiry, core.settings.uploads.resumeWindow) + lifecycle.orphanGrace) }

    /// Sweeps once, if this gateway holds (or can take) the lease.
    func sweep() throws -> Report {
        var report = Report()
        guard try lease.acquire(for: max(60, 3 * lifecycle.passBudget)) else { return report }
        report.swept = true
        let deadline = ContinuousClock.now + .seconds(lifecycle.passBudget)
        let now = core.now()
        for prefix in ["uploads/", "shared/"] {
            report.unfinished =
                try page(prefix, until: deadline) { object in
                    guard let written = object.lastModified, now.timeIntervalSince(written) > orphanAge, try isOrphan(object.key) else { return }
                    try core.client.deleteObject(key: object.key)
                    count(.orphan, in: &report)
                    core.logger.info("lifecycle: deleted orphan \(object.key)")
                } || report.unfinished
        }
        report.unfinished = try abandonedUploads(until: deadline, now: now, report: &report) || report.unfinished
        report.unfinished =
            try page(ObjectKey.sharePrefix, until: deadline) { object in
                try sweepShare(object, now: now, report: &report)
            } || report.unfinished
        return report
    }

    /// Whether no share serves `key`: its upload has no share record, or the record serves another key (the published
    /// copy) or is a tombstone. The record is looked up by the id this gateway's secret derives (one GET, the usual
    /// case), and when that misses, through the key index, which finds shares made under another secret; both must miss.
    func isOrphan(_ key: String) throws -> Bool {
        let uploadKey = ObjectKey.staging(of: key)
        guard ObjectKey.isUploadKey(uploadKey) else { return false }  // not the gateway's: never touched
        let derived = core.shareID(forUploadKeys: [uploadKey])
        let serves = { (record: ShareRecord) in record.tombstone != true && record.files.contains { $0.key == key } }
        if let record = try core.shares.load(derived) { return !serves(record) }
        guard let indexed = try core.shares.indexedShareID(uploadKey: uploadKey), indexed != derived,
            let record = try core.shares.load(indexed)
        else { return true }
        return !serves(record)
    }

    /// Aborts multipart uploads begun longer ago than ``orphanAge``; true when the budget ran out first.
    func abandonedUploads(until deadline: ContinuousClock.Instant, now: Date, report: inout Report) throws -> Bool {
        var marker: (String, String)? = nil
        repeat {
            guard ContinuousClock.now < deadline else { return true }
            let page = try core.client.listMultipartUploads(
                prefix: "uploads/", maxUploads: lifecycle.pageSize, keyMarker: marker?.0, uploadIDMarker: marker?.1)
            for upload in page.uploads {
                guard let begun = upload.initiated, now.timeIntervalSince(begun) > orphanAge else { continue }
                do {
                    try core.client.abortMultipartUpload(key: upload.key, uploadID: upload.uploadID)
                    count(.multipart, in: &report)
                    core.logger.info("lifecycle: aborted multipart upload of \(upload.key)")
                } catch let error as S3ClientError where error.status == 404 {
                    continue  // completed or aborted meanwhile
                }
            }
            marker = page.next.map { ($0.keyMarker, $0.uploadIDMarker) }
        } while marker != nil
        return false
    }

    /// A share record: a dead share past its grace loses its objects and becomes a tombstone; an old tombstone goes.
    func sweepShare(_ object: ListedObject, now: Date, report: inout Report) throws {
        guard object.key.hasSuffix(".json") else { return }
        let id = String(object.key.dropFirst(ObjectKey.sharePrefix.count).dropLast(".json".count))
        guard let record = try core.shares.load(id), let written = object.lastModified else { return }
        let time = Int64(now.timeIntervalSince1970)
        if record.tombstone == true {
            guard now.timeIntervalSince(written) >= TimeInterval(lifecycle.tombstoneRetention) else { return }
            try deleteRecord(record, at: object.key, report: &report)
            return
        }
        guard record.unavailability(at: now) != nil else { return }  // live: never touched
        // Dead since its last write when that ended it (the revocation, or the download that used it up), else since it expired.
        let usedUp = record.maxDownloads.map { limit in record.files[record.firstCounted...].allSatisfy { $0.downloads >= limit } } ?? false
        let deadSince = record.revoked || usedUp ? min(record.expiresAt, Int64(written.timeIntervalSince1970)) : record.expiresAt
        guard time - deadSince >= Int64(lifecycle.shareGrace) else { return }
        try core.deleteObjects(of: record)
        count(.shareObjects, in: &report)
        core.logger.info("lifecycle: deleted the objects of dead share \(record.id)")
        try core.releaseQuota(of: record)
        if lifecycle.tombstoneRetention == 0 {
            try deleteRecord(record, at: object.key, report: &report)
        } else {
            _ = try core.shares.update(id) { record in
                guard record.tombstone != true else { return false }
                record.tombstone = true
                return true
            }
        }
    }

    /// Deletes a dead share's record and its files' index entries: its link then answers 404.
    func deleteRecord(_ record: ShareRecord, at key: String, report: inout Report) throws {
        for file in record.files { try core.client.deleteObject(key: ShareStore.indexKey(forUploadKey: ObjectKey.staging(of: file.key))) }
        try core.client.deleteObject(key: key)
        count(.tombstone, in: &report)
    }

    /// Walks a listing from where the last pass stopped, one page at a time; true when the budget ran out first.
    func page(_ prefix: String, until deadline: ContinuousClock.Instant, _ visit: (ListedObject) throws -> Void) throws -> Bool {
        var token = cursors.get(prefix)
        repeat {
            guard ContinuousClock.now < deadline else {
                cursors.set(prefix, token)
                return true
            }
            let page = try core.client.listObjects(prefix: prefix, maxKeys: lifecycle.pageSize, continuationToken: token)
            for object in page.objects { try visit(object) }
            token = page.nextContinuationToken
        } while token != nil
        cursors.set(prefix, nil)
        return false
    }
}
